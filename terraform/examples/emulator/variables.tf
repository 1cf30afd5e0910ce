variable "endpoint_url" {
  description = "URL of the AWS emulator (moto_server or LocalStack) on a loopback address, e.g. http://127.0.0.1:5000"
  type        = string

  validation {
    condition     = can(regex("^https?://(localhost|127\\.[0-9.]+|\\[::1\\]|[a-z0-9.-]*localhost\\.localstack\\.cloud)(:[0-9]+)?/?$", var.endpoint_url))
    error_message = "endpoint_url must point at an emulator on a loopback address; this example never talks to real AWS."
  }
}
