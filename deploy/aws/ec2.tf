# Debian 12 (bookworm), the official images published by Debian.
data "aws_ami" "debian" {
  most_recent = true
  owners      = ["136693071363"]
  filter {
    name   = "name"
    values = ["debian-12-amd64-*"]
  }
  filter {
    name   = "architecture"
    values = ["x86_64"]
  }
}

locals {
  # The deployment files are the ones in this repository, embedded verbatim (the tests
  # check them); only the site's host name is substituted into the nginx config.
  user_data = templatefile("${path.module}/user-data.sh.tftpl", {
    region            = var.region
    domain_name       = var.domain_name
    artifacts_bucket  = aws_s3_bucket.artifacts.bucket
    media_bucket      = aws_s3_bucket.media.bucket
    kms_alias         = aws_kms_alias.main.name
    lostinnl_version  = var.lostinnl_version
    unit_file         = file("${path.module}/../systemd/lostinnl.service")
    sysusers_file     = file("${path.module}/../systemd/lostinnl.sysusers")
    readyz_service    = file("${path.module}/../systemd/lostinnl-readyz.service")
    readyz_timer      = file("${path.module}/../systemd/lostinnl-readyz.timer")
    logrotate_file    = file("${path.module}/../logrotate/lostinnl")
    nginx_conf        = replace(file("${path.module}/../nginx/lostinnl.conf"), "missingpersons.example.ca", var.domain_name)
    nginx_413         = file("${path.module}/../nginx/errors/413.html")
    cwagent_json      = file("${path.module}/../cloudwatch/amazon-cloudwatch-agent.json")
    cwagent_prom_yaml = file("${path.module}/../cloudwatch/prometheus.yaml")
    # Load-balanced mode (scale.tf): the app listens for the load balancer itself, starts
    # unattended with the encrypted database URL, and refuses anything but MySQL.
    alb_mode               = local.alb_mode
    vpc_cidr               = var.vpc_cidr
    database_url_encrypted = local.alb_mode ? var.database_url_encrypted : ""
  })
}

# The single instance of the default mode; with instance_count > 1 the Auto Scaling group
# in scale.tf runs the app instead.
resource "aws_instance" "web" {
  count                       = local.alb_mode ? 0 : 1
  ami                         = data.aws_ami.debian.id
  instance_type               = var.instance_type
  subnet_id                   = aws_subnet.public[0].id
  vpc_security_group_ids      = [aws_security_group.web.id]
  iam_instance_profile        = aws_iam_instance_profile.instance.name
  key_name                    = var.ssh_key_name == "" ? null : var.ssh_key_name
  associate_public_ip_address = true
  # All files together exceed the 16 KiB user-data limit; cloud-init accepts gzip.
  user_data_base64            = base64gzip(local.user_data)
  user_data_replace_on_change = false

  # IMDSv2 only: a server-side request forgery cannot read the role's credentials.
  metadata_options {
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
    http_endpoint               = "enabled"
  }

  root_block_device {
    volume_type = "gp3"
    volume_size = 20
    encrypted   = true
    kms_key_id  = aws_kms_key.main.arn
  }

  tags = { Name = "${local.name}-web" }

  lifecycle {
    ignore_changes = [ami]
  }
}

# A fixed address for the DNS record, kept when the instance is replaced.
resource "aws_eip" "web" {
  count    = local.alb_mode ? 0 : 1
  domain   = "vpc"
  instance = aws_instance.web[0].id
  tags     = { Name = "${local.name}-web" }
}

# Both gained a count for the load-balanced mode: existing deployments keep their instance
# and address instead of Terraform replacing them.
moved {
  from = aws_instance.web
  to   = aws_instance.web[0]
}

moved {
  from = aws_eip.web
  to   = aws_eip.web[0]
}
