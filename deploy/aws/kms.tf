# One customer-managed key for the app's secrets (LOSTINNL_SECRETS_KEEPER and the
# *_ENCRYPTED configuration values), RDS storage, S3 objects, EBS, logs and the alarm topic.
resource "aws_kms_key" "main" {
  description             = "lostinnl ${var.environment}: secrets, RDS, S3, EBS, logs"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy                  = data.aws_iam_policy_document.kms_key.json
}

resource "aws_kms_alias" "main" {
  name          = "alias/lostinnl"
  target_key_id = aws_kms_key.main.key_id
}

# Key policy. In a key policy "*" as the resource means "this key"; access for the
# instance itself is granted by its IAM role (iam.tf), which names the key's ARN.
data "aws_iam_policy_document" "kms_key" {
  statement {
    sid       = "AccountAdministers"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
    }
  }

  statement {
    sid = "CloudWatchLogsEncrypt"
    actions = [
      "kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey",
    ]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["logs.${var.region}.amazonaws.com"]
    }
    condition {
      test     = "ArnLike"
      variable = "kms:EncryptionContext:aws:logs:arn"
      values   = ["arn:${local.partition}:logs:${var.region}:${local.account_id}:log-group:/lostinnl/*"]
    }
  }

  statement {
    sid       = "CloudWatchAlarmsPublishToEncryptedTopic"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey*"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com"]
    }
  }
}
