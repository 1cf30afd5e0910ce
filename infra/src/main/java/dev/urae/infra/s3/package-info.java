/**
 * The object store on S3: the same port as the local folder store, rooted at
 * {@code s3://bucket/prefix/}. {@link dev.urae.infra.s3.S3Scheme#register()} makes
 * {@code ObjectStores.open("s3://...")} return one.
 */
package dev.urae.infra.s3;
