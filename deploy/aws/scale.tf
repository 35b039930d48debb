# Load-balanced mode, off by default: with instance_count > 1, an Application Load Balancer
# (TLS with an ACM certificate) sends traffic to port 8080 of an Auto Scaling group of that
# many app instances, in place of the single instance of ec2.tf. The app needs no change:
# sessions, login throttles, the content revision and job leases are in RDS, photos in S3,
# keys in KMS (internal/opstest TestScaleOutTwoInstances runs two instances on one
# database and bucket). RDS, S3, KMS and the instance role are the same in both modes.
# docs/deploy.md, "Several instances"; checked by deploy/terraform_scale_test.go.

locals {
  alb_mode = var.instance_count > 1
}

# The load balancer: HTTPS and the redirect from HTTP, from anywhere.
resource "aws_security_group" "alb" {
  count       = local.alb_mode ? 1 : 0
  name        = "${local.name}-alb"
  description = "lostinnl load balancer"
  vpc_id      = aws_vpc.main.id

  ingress {
    description      = "HTTPS"
    from_port        = 443
    to_port          = 443
    protocol         = "tcp"
    cidr_blocks      = ["0.0.0.0/0"]
    ipv6_cidr_blocks = ["::/0"]
  }

  ingress {
    description      = "HTTP (redirect to HTTPS)"
    from_port        = 80
    to_port          = 80
    protocol         = "tcp"
    cidr_blocks      = ["0.0.0.0/0"]
    ipv6_cidr_blocks = ["::/0"]
  }

  egress {
    description = "To the app instances"
    from_port   = 8080
    to_port     = 8080
    protocol    = "tcp"
    cidr_blocks = [var.vpc_cidr]
  }

  tags = { Name = "${local.name}-alb" }
}

# App instances: port 8080 from the load balancer only, SSH only from var.ssh_ingress_cidr
# (closed when empty), everything outbound (RDS, S3, KMS, CloudWatch, apt).
resource "aws_security_group" "app" {
  count       = local.alb_mode ? 1 : 0
  name        = "${local.name}-app"
  description = "lostinnl app instances behind the load balancer"
  vpc_id      = aws_vpc.main.id

  ingress {
    description     = "The app, from the load balancer"
    from_port       = 8080
    to_port         = 8080
    protocol        = "tcp"
    security_groups = [aws_security_group.alb[0].id]
  }

  dynamic "ingress" {
    for_each = var.ssh_ingress_cidr == "" ? [] : [var.ssh_ingress_cidr]
    content {
      description = "SSH from the operators' range"
      from_port   = 22
      to_port     = 22
      protocol    = "tcp"
      cidr_blocks = [ingress.value]
    }
  }

  egress {
    description      = "All outbound"
    from_port        = 0
    to_port          = 0
    protocol         = "-1"
    cidr_blocks      = ["0.0.0.0/0"]
    ipv6_cidr_blocks = ["::/0"]
  }

  tags = { Name = "${local.name}-app" }
}

resource "aws_lb" "app" {
  count                      = local.alb_mode ? 1 : 0
  name                       = "${local.name}-alb"
  load_balancer_type         = "application"
  internal                   = false
  security_groups            = [aws_security_group.alb[0].id]
  subnets                    = aws_subnet.public[*].id
  drop_invalid_header_fields = true
  enable_deletion_protection = true
  tags                       = { Name = "${local.name}-alb" }
}

# Health: the app's own /readyz (database, object storage, disk, draining). After SIGTERM
# it answers 503 for LOSTINNL_DRAIN_DELAY (15 s, user data), longer than the 2 failed
# checks 5 s apart that take the instance out; the deregistration delay then lets requests
# in flight finish.
resource "aws_lb_target_group" "app" {
  count                = local.alb_mode ? 1 : 0
  name                 = "${local.name}-app"
  port                 = 8080
  protocol             = "HTTP"
  vpc_id               = aws_vpc.main.id
  deregistration_delay = 30

  health_check {
    path                = "/readyz"
    port                = "traffic-port"
    protocol            = "HTTP"
    matcher             = "200"
    interval            = 5
    timeout             = 4
    healthy_threshold   = 2
    unhealthy_threshold = 2
  }
}

resource "aws_lb_listener" "https" {
  count             = local.alb_mode ? 1 : 0
  load_balancer_arn = aws_lb.app[0].arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = var.certificate_arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.app[0].arn
  }

  lifecycle {
    precondition {
      condition     = var.certificate_arn != ""
      error_message = "instance_count > 1 needs certificate_arn: the load balancer terminates TLS with an ACM certificate for domain_name."
    }
  }
}

resource "aws_lb_listener" "http" {
  count             = local.alb_mode ? 1 : 0
  load_balancer_arn = aws_lb.app[0].arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type = "redirect"
    redirect {
      port        = "443"
      protocol    = "HTTPS"
      status_code = "HTTP_301"
    }
  }
}

resource "aws_launch_template" "app" {
  count                  = local.alb_mode ? 1 : 0
  name_prefix            = "${local.name}-app-"
  image_id               = data.aws_ami.debian.id
  instance_type          = var.instance_type
  key_name               = var.ssh_key_name == "" ? null : var.ssh_key_name
  vpc_security_group_ids = [aws_security_group.app[0].id]
  # Same user data as the single instance, rendered for this mode (ec2.tf); gzip keeps it
  # under the 16 KiB limit.
  user_data = base64gzip(local.user_data)

  iam_instance_profile {
    name = aws_iam_instance_profile.instance.name
  }

  # IMDSv2 only: a server-side request forgery cannot read the role's credentials.
  metadata_options {
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
    http_endpoint               = "enabled"
  }

  block_device_mappings {
    device_name = "/dev/xvda"
    ebs {
      volume_type = "gp3"
      volume_size = 20
      encrypted   = true
      kms_key_id  = aws_kms_key.main.arn
    }
  }

  tag_specifications {
    resource_type = "instance"
    tags          = { Name = "${local.name}-app" }
  }

  lifecycle {
    precondition {
      condition     = var.database_url_encrypted != ""
      error_message = "instance_count > 1 needs database_url_encrypted (the RDS MySQL URL from `lostinnl secret encrypt`): instances start unattended, and never on a local SQLite file."
    }
  }
}

# The instances live in the public subnets (outbound to apt, KMS and CloudWatch without a
# NAT gateway) with public addresses, but their security group admits only the balancer.
resource "aws_autoscaling_group" "app" {
  count                     = local.alb_mode ? 1 : 0
  name                      = "${local.name}-app"
  min_size                  = var.instance_count
  max_size                  = var.instance_count
  desired_capacity          = var.instance_count
  vpc_zone_identifier       = aws_subnet.public[*].id
  target_group_arns         = [aws_lb_target_group.app[0].arn]
  health_check_type         = "ELB"
  health_check_grace_period = 600

  launch_template {
    id      = aws_launch_template.app[0].id
    version = aws_launch_template.app[0].latest_version
  }

  # A new launch template version (new user data, new AMI) replaces the instances one
  # batch at a time, never taking more than half of them out at once.
  instance_refresh {
    strategy = "Rolling"
    preferences {
      min_healthy_percentage = 50
    }
  }

  tag {
    key                 = "Name"
    value               = "${local.name}-app"
    propagate_at_launch = true
  }
}

# Alarms of the load-balanced mode, in place of the single instance's (cloudwatch.tf).
resource "aws_cloudwatch_metric_alarm" "group_cpu" {
  count               = local.alb_mode ? 1 : 0
  alarm_name          = "${local.name}-group-cpu"
  alarm_description   = "App instances' average CPU above 80% for 10 minutes."
  namespace           = "AWS/EC2"
  metric_name         = "CPUUtilization"
  dimensions          = { AutoScalingGroupName = aws_autoscaling_group.app[0].name }
  statistic           = "Average"
  period              = 300
  evaluation_periods  = 2
  comparison_operator = "GreaterThanThreshold"
  threshold           = 80
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "unhealthy_targets" {
  count               = local.alb_mode ? 1 : 0
  alarm_name          = "${local.name}-unhealthy-targets"
  alarm_description   = "An app instance has failed /readyz at the load balancer for 3 minutes."
  namespace           = "AWS/ApplicationELB"
  metric_name         = "UnHealthyHostCount"
  dimensions          = { LoadBalancer = aws_lb.app[0].arn_suffix, TargetGroup = aws_lb_target_group.app[0].arn_suffix }
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 3
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "target_5xx" {
  count               = local.alb_mode ? 1 : 0
  alarm_name          = "${local.name}-target-5xx"
  alarm_description   = "The app instances answered more than 20 server errors in 5 minutes (there is no nginx access log in this mode)."
  namespace           = "AWS/ApplicationELB"
  metric_name         = "HTTPCode_Target_5XX_Count"
  dimensions          = { LoadBalancer = aws_lb.app[0].arn_suffix }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 20
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

# The single instance's alarms gained a count (cloudwatch.tf); keep them in place.
moved {
  from = aws_cloudwatch_metric_alarm.cpu
  to   = aws_cloudwatch_metric_alarm.cpu[0]
}

moved {
  from = aws_cloudwatch_metric_alarm.memory
  to   = aws_cloudwatch_metric_alarm.memory[0]
}

moved {
  from = aws_cloudwatch_metric_alarm.instance_status
  to   = aws_cloudwatch_metric_alarm.instance_status[0]
}
