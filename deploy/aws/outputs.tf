output "instance_public_ip" {
  description = "Elastic IP of the web instance: point the domain's A record here before running certbot. Null in the load-balanced mode (see load_balancer_dns_name)."
  value       = one(aws_eip.web[*].public_ip)
}

output "instance_id" {
  description = "EC2 instance id (for SSM/SSH and the CloudWatch dashboards). Null in the load-balanced mode (see autoscaling_group_name)."
  value       = one(aws_instance.web[*].id)
}

output "load_balancer_dns_name" {
  description = "Load-balanced mode: the load balancer's DNS name; point the domain here (CNAME, or a Route 53 alias record)."
  value       = one(aws_lb.app[*].dns_name)
}

output "autoscaling_group_name" {
  description = "Load-balanced mode: the Auto Scaling group running the app instances."
  value       = one(aws_autoscaling_group.app[*].name)
}

output "rds_endpoint" {
  description = "RDS MySQL endpoint (host:port), reachable only from the web instance."
  value       = aws_db_instance.main.endpoint
}

output "rds_master_secret_arn" {
  description = "Secrets Manager secret holding the generated RDS master password (for creating the app's own database user once)."
  value       = aws_db_instance.main.master_user_secret[0].secret_arn
}

output "media_bucket" {
  description = "S3 bucket for media (LOSTINNL_MEDIA_URL)."
  value       = aws_s3_bucket.media.bucket
}

output "artifacts_bucket" {
  description = "S3 bucket for lostinnl releases (releases/lostinnl-<version>-linux-amd64 and .sha256)."
  value       = aws_s3_bucket.artifacts.bucket
}

output "kms_key_alias" {
  description = "KMS alias used by LOSTINNL_SECRETS_KEEPER."
  value       = aws_kms_alias.main.name
}

output "alarm_topic_arn" {
  description = "SNS topic all alarms publish to."
  value       = aws_sns_topic.alarms.arn
}

output "encrypted_dsn_recipe" {
  description = "How to store the database URL encrypted with KMS (run on the instance; the role allows kms:Encrypt on this key only)."
  value       = <<-EOT
    # On the instance, as root. The password is the app user's, created as in docs/deploy.md.
    read -rs -p 'lostinnl DB password: ' DBPASS; echo
    printf '%s' "mysql://lostinnl:$DBPASS@tcp(${aws_db_instance.main.endpoint})/lostinnl?tls=true" \
      | LOSTINNL_SECRETS_KEEPER='awskms://${aws_kms_alias.main.name}?region=${var.region}' /usr/local/bin/lostinnl secret encrypt \
      > /tmp/dsn.b64
    unset DBPASS
    sed -i "s|^LOSTINNL_DATABASE_URL_ENCRYPTED=.*|LOSTINNL_DATABASE_URL_ENCRYPTED=$(cat /tmp/dsn.b64)|" /etc/lostinnl/lostinnl.env
    shred -u /tmp/dsn.b64
    systemctl enable --now lostinnl
  EOT
}

output "ses_dkim_records" {
  description = "DNS CNAME records that verify the site's domain for SES (name -> value)."
  value = {
    for t in aws_sesv2_email_identity.site.dkim_signing_attributes[0].tokens :
    "${t}._domainkey.${var.domain_name}" => "${t}.dkim.amazonses.com"
  }
}

output "ses_smtp_user" {
  description = "IAM user allowed to send as the site over SES SMTP; create its access key and SMTP password by hand (docs/operations.md, Mail)."
  value       = aws_iam_user.ses_smtp.name
}
