/*
 * Secrets: password hashing (Argon2id, libsodium), random tokens and their
 * hashes.  A token is 32 random bytes handed to the client as 43 characters
 * of unpadded base64url; the store keeps only SHA-256(token bytes).
 */
#ifndef EXPORTCTL_AUTH_H
#define EXPORTCTL_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <exportctl/error.h>

#ifdef __cplusplus
extern "C" {
#endif

#define ECTL_TOKEN_TEXT_LEN 43 /* base64url of 32 bytes, no padding */
#define ECTL_PWHASH_MAX 128

/* Call once before any other function here (initialises libsodium). */
int ectl_auth_init(struct ectl_error *err);

/* Argon2id with libsodium's interactive limits; out gets a NUL-terminated
 * string of at most ECTL_PWHASH_MAX bytes. */
int ectl_password_hash(const char *password, char out[ECTL_PWHASH_MAX], struct ectl_error *err);
/* Constant-time check; false for a malformed hash. */
bool ectl_password_verify(const char *password, const char *hash);
/* Passwords must be 12 to 1024 bytes of valid UTF-8; ECTL_EINVAL with a
 * message saying why otherwise. */
int ectl_password_check_policy(const char *password, struct ectl_error *err);

/* New random token: text (43 chars + NUL) for the client, hash for the store. */
void ectl_token_new(char text[ECTL_TOKEN_TEXT_LEN + 1], uint8_t hash[32]);
/* Hash of a token the client sent; ECTL_EINVAL if it is not a token. */
int ectl_token_hash(const char *text, uint8_t hash[32]);

void ectl_sha256(const void *data, size_t len, uint8_t out[32]);
void ectl_hex(const uint8_t *data, size_t len, char *out); /* out: 2*len+1 */
/* Constant-time comparison. */
bool ectl_equal_ct(const void *a, const void *b, size_t len);

#ifdef __cplusplus
}
#endif
#endif
