# Mail (issue 16): the site's domain as an Amazon SES identity with Easy DKIM
# (publish the three CNAME records of output ses_dkim_records), and an IAM user
# whose only right is to send as that identity over SES SMTP. No access key is
# made here: its secret, and so the SMTP password derived from it, would sit in
# the Terraform state. Create the key once (console or CLI), derive the SMTP
# password, and give the app LOSTINNL_SMTP_URL_ENCRYPTED (docs/operations.md, Mail).
resource "aws_sesv2_email_identity" "site" {
  email_identity = var.domain_name
}

resource "aws_iam_user" "ses_smtp" {
  name = "${local.name}-ses-smtp"
}

data "aws_iam_policy_document" "ses_smtp" {
  statement {
    sid       = "SendAsTheSite"
    actions   = ["ses:SendRawEmail"]
    resources = [aws_sesv2_email_identity.site.arn]
  }
}

resource "aws_iam_user_policy" "ses_smtp" {
  name   = "send-as-site"
  user   = aws_iam_user.ses_smtp.name
  policy = data.aws_iam_policy_document.ses_smtp.json
}
