/*
 * Secrets (auth.h) on libsodium.  Nothing here keeps state beyond
 * libsodium's own initialisation, so every function is thread-safe once
 * ectl_auth_init() has returned.
 */
#include <string.h>

#include <sodium.h>

#include <exportctl/auth.h>
#include <exportctl/utf8.h>

/* Our fixed buffer must hold libsodium's string, NUL included. */
_Static_assert(crypto_pwhash_STRBYTES <= ECTL_PWHASH_MAX, "ECTL_PWHASH_MAX too small");
_Static_assert(crypto_hash_sha256_BYTES == 32, "SHA-256 is 32 bytes");

#define TOKEN_BYTES 32
#define PASSWORD_MIN 12
#define PASSWORD_MAX 1024

int ectl_auth_init(struct ectl_error *err)
{
    /* sodium_init() is idempotent and thread-safe: 1 means already done. */
    if (sodium_init() < 0)
        return ectl_error_set(err, ECTL_EIO, "cannot initialise libsodium (no randomness source?)");
    return 0;
}

int ectl_password_hash(const char *password, char out[ECTL_PWHASH_MAX], struct ectl_error *err)
{
    /* Argon2id by name rather than libsodium's default, so that a change
     * of default cannot silently change what we store. */
    if (crypto_pwhash_str_alg(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13))
        return ectl_error_set(err, ECTL_ENOMEM, "cannot hash password (out of memory)");
    return 0;
}

bool ectl_password_verify(const char *password, const char *hash)
{
    /* A stored value that is not an Argon2id string we could have written
     * is refused before libsodium reads it. */
    if (!password || !hash || memchr(hash, '\0', crypto_pwhash_STRBYTES) == NULL ||
        strncmp(hash, crypto_pwhash_argon2id_STRPREFIX, strlen(crypto_pwhash_argon2id_STRPREFIX)))
        return false;
    return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

int ectl_password_check_policy(const char *password, struct ectl_error *err)
{
    if (!password)
        return ectl_error_set(err, ECTL_EINVAL, "no password given");
    size_t len = strlen(password);
    if (len < PASSWORD_MIN)
        return ectl_error_set(err, ECTL_EINVAL, "password too short: %zu bytes, at least %d needed",
                              len, PASSWORD_MIN);
    if (len > PASSWORD_MAX)
        return ectl_error_set(err, ECTL_EINVAL, "password too long: %zu bytes, at most %d", len,
                              PASSWORD_MAX);
    size_t ok = ectl_utf8_valid_prefix(password, len);
    if (ok != len)
        return ectl_error_set(err, ECTL_EINVAL, "password is not valid UTF-8 (byte %zu)", ok + 1);
    return 0;
}

void ectl_token_new(char text[ECTL_TOKEN_TEXT_LEN + 1], uint8_t hash[32])
{
    unsigned char raw[TOKEN_BYTES];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(text, ECTL_TOKEN_TEXT_LEN + 1, raw, sizeof raw,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    crypto_hash_sha256(hash, raw, sizeof raw);
    sodium_memzero(raw, sizeof raw);
}

int ectl_token_hash(const char *text, uint8_t hash[32])
{
    unsigned char raw[TOKEN_BYTES];
    size_t n = 0;
    const char *end = NULL;
    /* Exactly 43 characters that decode to 32 bytes: libsodium also refuses
     * non-zero trailing bits, so every token has one spelling. */
    if (!text || strnlen(text, ECTL_TOKEN_TEXT_LEN + 1) != ECTL_TOKEN_TEXT_LEN ||
        sodium_base642bin(raw, sizeof raw, text, ECTL_TOKEN_TEXT_LEN, NULL, &n, &end,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
        n != TOKEN_BYTES || end != text + ECTL_TOKEN_TEXT_LEN)
        return ECTL_EINVAL;
    crypto_hash_sha256(hash, raw, sizeof raw);
    sodium_memzero(raw, sizeof raw);
    return 0;
}

void ectl_sha256(const void *data, size_t len, uint8_t out[32])
{
    crypto_hash_sha256(out, data, len);
}

void ectl_hex(const uint8_t *data, size_t len, char *out)
{
    sodium_bin2hex(out, 2 * len + 1, data, len);
}

bool ectl_equal_ct(const void *a, const void *b, size_t len)
{
    return sodium_memcmp(a, b, len) == 0;
}
