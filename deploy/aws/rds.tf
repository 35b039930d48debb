resource "aws_db_subnet_group" "main" {
  name       = local.name
  subnet_ids = aws_subnet.private[*].id
}

resource "aws_db_parameter_group" "mysql8" {
  name   = "${local.name}-mysql8"
  family = "mysql8.0"

  # Names and free text from people in NL include accents and other non-ASCII text.
  parameter {
    name  = "character_set_server"
    value = "utf8mb4"
  }
  parameter {
    name  = "collation_server"
    value = "utf8mb4_0900_ai_ci"
  }
  # Clients must use TLS, even inside the VPC.
  parameter {
    name  = "require_secure_transport"
    value = "1"
  }
}

resource "aws_db_instance" "main" {
  identifier     = local.name
  engine         = "mysql"
  engine_version = "8.0"
  instance_class = var.db_instance_class
  db_name        = "lostinnl"
  username       = var.db_username
  # RDS generates the master password and keeps it in Secrets Manager (encrypted with our
  # key); it never appears in Terraform state. The app uses its own, less privileged user
  # (docs/deploy.md) whose DSN is stored KMS-encrypted in /etc/lostinnl/lostinnl.env.
  manage_master_user_password   = true
  master_user_secret_kms_key_id = aws_kms_key.main.key_id

  allocated_storage     = var.db_allocated_storage_gb
  max_allocated_storage = var.db_max_allocated_storage_gb
  storage_type          = "gp3"
  storage_encrypted     = true
  kms_key_id            = aws_kms_key.main.arn

  db_subnet_group_name   = aws_db_subnet_group.main.name
  vpc_security_group_ids = [aws_security_group.db.id]
  publicly_accessible    = false
  multi_az               = var.db_multi_az
  parameter_group_name   = aws_db_parameter_group.mysql8.name

  backup_retention_period  = var.db_backup_retention_days
  backup_window            = "06:00-07:00"
  maintenance_window       = "sun:07:30-sun:08:30"
  copy_tags_to_snapshot    = true
  delete_automated_backups = false

  deletion_protection       = true
  skip_final_snapshot       = false
  final_snapshot_identifier = "${local.name}-final"

  auto_minor_version_upgrade      = true
  enabled_cloudwatch_logs_exports = ["error", "slowquery"]
}
