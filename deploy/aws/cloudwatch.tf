# Log groups fed by the CloudWatch agent (deploy/cloudwatch/amazon-cloudwatch-agent.json;
# the test checks the names match).
locals {
  log_groups = {
    app          = "/lostinnl/app"
    readyz       = "/lostinnl/readyz"
    nginx_access = "/lostinnl/nginx/access"
    nginx_error  = "/lostinnl/nginx/error"
    prometheus   = "/lostinnl/prometheus"
  }
  alarm_actions = [aws_sns_topic.alarms.arn]
}

resource "aws_cloudwatch_log_group" "all" {
  for_each          = local.log_groups
  name              = each.value
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.main.arn
}

# --- Metric filters -----------------------------------------------------------------
# nginx writes one JSON object per request (log_format lostinnl_json).
resource "aws_cloudwatch_log_metric_filter" "requests" {
  name           = "${local.name}-requests"
  log_group_name = aws_cloudwatch_log_group.all["nginx_access"].name
  pattern        = "{ $.status > 0 }"
  metric_transformation {
    name          = "Requests"
    namespace     = "LostInNL/Nginx"
    value         = "1"
    default_value = "0"
  }
}

resource "aws_cloudwatch_log_metric_filter" "http_5xx" {
  name           = "${local.name}-5xx"
  log_group_name = aws_cloudwatch_log_group.all["nginx_access"].name
  pattern        = "{ $.status >= 500 }"
  metric_transformation {
    name          = "Http5xx"
    namespace     = "LostInNL/Nginx"
    value         = "1"
    default_value = "0"
  }
}

resource "aws_cloudwatch_log_metric_filter" "request_time" {
  name           = "${local.name}-request-time"
  log_group_name = aws_cloudwatch_log_group.all["nginx_access"].name
  pattern        = "{ $.request_time >= 0 }"
  metric_transformation {
    name      = "RequestTime"
    namespace = "LostInNL/Nginx"
    value     = "$.request_time"
    unit      = "Seconds"
  }
}

# The readiness probe (lostinnl-readyz.timer) logs one line a minute; 1 = ready, 0 = not.
resource "aws_cloudwatch_log_metric_filter" "readyz_ok" {
  name           = "${local.name}-readyz-ok"
  log_group_name = aws_cloudwatch_log_group.all["readyz"].name
  pattern        = "{ $.probe = \"readyz\" && $.http_code = 200 }"
  metric_transformation {
    name      = "ReadyzOK"
    namespace = "LostInNL/App"
    value     = "1"
  }
}

resource "aws_cloudwatch_log_metric_filter" "readyz_failed" {
  name           = "${local.name}-readyz-failed"
  log_group_name = aws_cloudwatch_log_group.all["readyz"].name
  pattern        = "{ $.probe = \"readyz\" && $.http_code != 200 }"
  metric_transformation {
    name      = "ReadyzOK"
    namespace = "LostInNL/App"
    value     = "0"
  }
}

# slog JSON lines carry "level":"ERROR" for errors the app handled and logged.
resource "aws_cloudwatch_log_metric_filter" "app_errors" {
  name           = "${local.name}-app-errors"
  log_group_name = aws_cloudwatch_log_group.all["app"].name
  pattern        = "{ $.level = \"ERROR\" }"
  metric_transformation {
    name          = "AppErrors"
    namespace     = "LostInNL/App"
    value         = "1"
    default_value = "0"
  }
}

# --- Alarms -----------------------------------------------------------------------------
resource "aws_cloudwatch_metric_alarm" "http_5xx_rate" {
  alarm_name          = "${local.name}-5xx-rate"
  alarm_description   = "More than ${var.alarm_5xx_percent}% of requests answered 5xx over 5 minutes (docs/operations.md)."
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.alarm_5xx_percent
  evaluation_periods  = 1
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions

  metric_query {
    id          = "rate"
    expression  = "IF(requests > 0, 100 * errors / requests, 0)"
    label       = "5xx percent"
    return_data = true
  }
  metric_query {
    id = "errors"
    metric {
      namespace   = "LostInNL/Nginx"
      metric_name = "Http5xx"
      period      = 300
      stat        = "Sum"
    }
  }
  metric_query {
    id = "requests"
    metric {
      namespace   = "LostInNL/Nginx"
      metric_name = "Requests"
      period      = 300
      stat        = "Sum"
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "latency_p99" {
  alarm_name          = "${local.name}-latency-p99"
  alarm_description   = "p99 request time through nginx above ${var.alarm_p99_latency_seconds}s for 10 minutes."
  namespace           = "LostInNL/Nginx"
  metric_name         = "RequestTime"
  extended_statistic  = "p99"
  period              = 300
  evaluation_periods  = 2
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.alarm_p99_latency_seconds
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "readyz_failing" {
  alarm_name          = "${local.name}-readyz-failing"
  alarm_description   = "/readyz not ready for 3 minutes (database or object storage unreachable, or the app is down). No probe data counts as failing."
  namespace           = "LostInNL/App"
  metric_name         = "ReadyzOK"
  statistic           = "Minimum"
  period              = 60
  evaluation_periods  = 3
  comparison_operator = "LessThanThreshold"
  threshold           = 1
  treat_missing_data  = "breaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

# Mail is stuck: the oldest unsent message has waited more than 30 minutes
# for 15 minutes (SMTP unreachable or refusing, credentials expired, the
# sender not running). Messages are kept meanwhile; see docs/operations.md
# "Mail". The metric comes from the app's /metrics through the agent (EMF,
# dimension job).
resource "aws_cloudwatch_metric_alarm" "mail_stuck" {
  alarm_name          = "${local.name}-mail-stuck"
  alarm_description   = "The oldest queued email is more than 30 minutes old (docs/operations.md, Mail)."
  namespace           = "LostInNL/App"
  metric_name         = "outbox_oldest_queued_age_seconds"
  dimensions          = { job = "lostinnl" }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 3
  comparison_operator = "GreaterThanThreshold"
  threshold           = 1800
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "app_errors" {
  alarm_name          = "${local.name}-app-errors"
  alarm_description   = "The app logged 10 or more errors in 5 minutes."
  namespace           = "LostInNL/App"
  metric_name         = "AppErrors"
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  threshold           = 10
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "cpu" {
  count               = local.alb_mode ? 0 : 1 # scale.tf alarms on the group instead
  alarm_name          = "${local.name}-cpu"
  alarm_description   = "Web instance CPU above 80% for 10 minutes."
  namespace           = "AWS/EC2"
  metric_name         = "CPUUtilization"
  dimensions          = { InstanceId = aws_instance.web[0].id }
  statistic           = "Average"
  period              = 300
  evaluation_periods  = 2
  comparison_operator = "GreaterThanThreshold"
  threshold           = 80
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "memory" {
  count               = local.alb_mode ? 0 : 1 # scale.tf alarms on the group instead
  alarm_name          = "${local.name}-memory"
  alarm_description   = "Web instance memory above 90% for 10 minutes (from the CloudWatch agent)."
  namespace           = "LostInNL/Host"
  metric_name         = "mem_used_percent"
  dimensions          = { InstanceId = aws_instance.web[0].id }
  statistic           = "Average"
  period              = 300
  evaluation_periods  = 2
  comparison_operator = "GreaterThanThreshold"
  threshold           = 90
  treat_missing_data  = "breaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "instance_status" {
  count               = local.alb_mode ? 0 : 1 # scale.tf alarms on the group instead
  alarm_name          = "${local.name}-system-status"
  alarm_description   = "EC2 system status check failing: recover the instance onto healthy hardware."
  namespace           = "AWS/EC2"
  metric_name         = "StatusCheckFailed_System"
  dimensions          = { InstanceId = aws_instance.web[0].id }
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 2
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  alarm_actions       = concat(local.alarm_actions, ["arn:${local.partition}:automate:${var.region}:ec2:recover"])
}

resource "aws_cloudwatch_metric_alarm" "db_cpu" {
  alarm_name          = "${local.name}-db-cpu"
  alarm_description   = "RDS CPU above 80% for 15 minutes."
  namespace           = "AWS/RDS"
  metric_name         = "CPUUtilization"
  dimensions          = { DBInstanceIdentifier = aws_db_instance.main.identifier }
  statistic           = "Average"
  period              = 300
  evaluation_periods  = 3
  comparison_operator = "GreaterThanThreshold"
  threshold           = 80
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "db_free_storage" {
  alarm_name          = "${local.name}-db-free-storage"
  alarm_description   = "RDS free storage below ${var.alarm_db_free_storage_bytes} bytes."
  namespace           = "AWS/RDS"
  metric_name         = "FreeStorageSpace"
  dimensions          = { DBInstanceIdentifier = aws_db_instance.main.identifier }
  statistic           = "Minimum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "LessThanThreshold"
  threshold           = var.alarm_db_free_storage_bytes
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}
