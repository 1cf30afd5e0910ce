################################################################################
# Job repository: Aurora PostgreSQL Serverless v2
################################################################################

locals {
  database_name     = "urae"
  database_username = var.create_database ? aws_rds_cluster.this[0].master_username : var.existing_database.username
  database_jdbc_url = (
    var.create_database
    ? "jdbc:postgresql://${aws_rds_cluster.this[0].endpoint}:${aws_rds_cluster.this[0].port}/${local.database_name}?sslmode=require"
    : var.existing_database.jdbc_url
  )
  database_secret_arn = (
    var.create_database
    ? aws_rds_cluster.this[0].master_user_secret[0].secret_arn
    : var.existing_database.password_secret_arn
  )
  database_cluster_identifier = "${var.name}-jobrepo"
  database_cluster_arn        = "arn:${format(local.arn_prefix, "rds")}:cluster:${local.database_cluster_identifier}"
  database_secret_arn_pattern = (
    var.create_database
    ? "arn:${format(local.arn_prefix, "secretsmanager")}:secret:rds!cluster-*"
    : var.existing_database.password_secret_arn
  )
  # Runs connect as this user, with row rights on the job repository only (urae database bootstrap).
  database_app_username    = "urae_app"
  database_app_secret_name = "${var.name}-jobrepo-app"
  # Secrets Manager appends six random characters to a secret's name in its ARN.
  database_app_secret_arn_pattern = "arn:${format(local.arn_prefix, "secretsmanager")}:secret:${local.database_app_secret_name}-??????"
}

# The application user's password: generated without passing through Terraform state
# (ephemeral, write-only), read by orchestrators from the secret whenever they open a
# connection, so rotating it (a new `database_app_password_version`, then the bootstrap job
# again, or a Secrets Manager rotation function) needs no restart.
ephemeral "aws_secretsmanager_random_password" "database_app" {
  password_length     = 40
  exclude_punctuation = true
}

resource "aws_secretsmanager_secret" "database_app" {
  name        = local.database_app_secret_name
  description = "URAE job repository: the application user (${local.database_app_username}) and its password"
  # Recreated by the module and re-applied by the bootstrap job: no need to keep a deleted one.
  recovery_window_in_days = 0

  tags = merge(local.tags, { Name = "${var.name}-jobrepo-app" })
}

resource "aws_secretsmanager_secret_version" "database_app" {
  secret_id = aws_secretsmanager_secret.database_app.id
  secret_string_wo = jsonencode({
    username = local.database_app_username
    password = ephemeral.aws_secretsmanager_random_password.database_app.random_password
  })
  secret_string_wo_version = var.database_app_password_version
}

resource "aws_security_group" "database" {
  count = var.create_database ? 1 : 0

  name        = "${var.name}-jobrepo"
  description = "URAE job repository: PostgreSQL from URAE orchestrators only"
  vpc_id      = var.vpc_id

  tags = merge(local.tags, { Name = "${var.name}-jobrepo" })
}

# Workers (security group `jobs`) are not admitted: they never touch the job repository.
resource "aws_vpc_security_group_ingress_rule" "database_from_orchestrators" {
  count = var.create_database ? 1 : 0

  security_group_id            = aws_security_group.database[0].id
  description                  = "PostgreSQL from URAE orchestrators"
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  referenced_security_group_id = aws_security_group.orchestrator.id

  tags = merge(local.tags, { Name = "${var.name}-jobrepo-from-orchestrators" })
}

resource "aws_db_subnet_group" "this" {
  count = var.create_database ? 1 : 0

  name       = "${var.name}-jobrepo"
  subnet_ids = var.subnet_ids

  tags = merge(local.tags, { Name = "${var.name}-jobrepo" })
}

resource "aws_rds_cluster" "this" {
  count = var.create_database ? 1 : 0

  cluster_identifier     = local.database_cluster_identifier
  engine                 = "aurora-postgresql"
  engine_mode            = "provisioned"
  engine_version         = var.database_engine_version
  database_name          = local.database_name
  master_username        = "urae"
  db_subnet_group_name   = aws_db_subnet_group.this[0].name
  vpc_security_group_ids = [aws_security_group.database[0].id]
  port                   = 5432

  # RDS generates the password and keeps it in Secrets Manager; it never passes through
  # Terraform state.
  manage_master_user_password = true

  storage_encrypted                   = true
  iam_database_authentication_enabled = false
  backup_retention_period             = var.database_backup_retention_days
  copy_tags_to_snapshot               = true
  deletion_protection                 = var.database_deletion_protection
  skip_final_snapshot                 = var.database_skip_final_snapshot
  final_snapshot_identifier           = "${var.name}-jobrepo-final"

  serverlessv2_scaling_configuration {
    min_capacity = var.database_min_capacity
    max_capacity = var.database_max_capacity
  }

  tags = merge(local.tags, { Name = "${var.name}-jobrepo" })
}

resource "aws_rds_cluster_instance" "this" {
  count = var.create_database ? 1 : 0

  identifier           = "${var.name}-jobrepo-1"
  cluster_identifier   = aws_rds_cluster.this[0].id
  instance_class       = "db.serverless"
  engine               = aws_rds_cluster.this[0].engine
  engine_version       = aws_rds_cluster.this[0].engine_version
  db_subnet_group_name = aws_db_subnet_group.this[0].name

  tags = merge(local.tags, { Name = "${var.name}-jobrepo-1" })
}
