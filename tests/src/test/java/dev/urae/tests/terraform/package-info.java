/**
 * Checks of the Terraform environment under {@code terraform/}: formatting and validation of the
 * module and its examples, invariants over a plan of {@code examples/emulator}, and an apply and
 * destroy of that example against the AWS emulator. Terraform runs on a copy of the folder in a
 * temporary directory (so no {@code .terraform} or state lands in the checkout) and takes the
 * {@code hashicorp/aws} provider from the machine's filesystem mirror, never from a registry.
 */
package dev.urae.tests.terraform;
