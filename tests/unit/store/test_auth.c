/*
 * Secrets (auth.h): Argon2id password hashes, the password policy, tokens
 * and their hashes, SHA-256 and constant-time comparison.
 */
#include "store_test.h"

#include <stdio.h>
#include <string.h>

static void test_password_hash(void **state)
{
    (void)state;
    struct ectl_error err;
    char h1[ECTL_PWHASH_MAX], h2[ECTL_PWHASH_MAX];
    OK(ectl_password_hash("correct horse battery", h1, &err));
    OK(ectl_password_hash("correct horse battery", h2, &err));
    assert_true(strncmp(h1, "$argon2id$", 10) == 0);
    assert_string_not_equal(h1, h2); /* salted */
    assert_true(ectl_password_verify("correct horse battery", h1));
    assert_true(ectl_password_verify("correct horse battery", h2));
    assert_false(ectl_password_verify("correct horse batterY", h1));
    assert_false(ectl_password_verify("", h1));
    /* Malformed or foreign hashes are simply "no". */
    assert_false(ectl_password_verify("x", ""));
    assert_false(ectl_password_verify("x", "$argon2id$garbage"));
    assert_false(ectl_password_verify("x", "$2b$12$abcdefghijklmnopqrstuv"));
    assert_false(ectl_password_verify("x", NULL));
}

static void test_password_policy(void **state)
{
    (void)state;
    struct ectl_error err;
    OK(ectl_password_check_policy("twelve bytes", &err));
    OK(ectl_password_check_policy("パスワードは長い", &err)); /* 24 bytes of UTF-8 */
    FAILS(ectl_password_check_policy("eleven byte", &err), ECTL_EINVAL);
    assert_non_null(strstr(err.msg, "too short"));
    FAILS(ectl_password_check_policy(NULL, &err), ECTL_EINVAL);
    char longpw[1100];
    memset(longpw, 'a', 1025);
    longpw[1025] = '\0';
    FAILS(ectl_password_check_policy(longpw, &err), ECTL_EINVAL);
    assert_non_null(strstr(err.msg, "too long"));
    longpw[1024] = '\0';
    OK(ectl_password_check_policy(longpw, &err));
    /* Not UTF-8: a lone continuation byte, an overlong '/', a surrogate,
     * a truncated sequence, and a code point above U+10FFFF. */
    FAILS(ectl_password_check_policy("abcdefghijkl\x80", &err), ECTL_EINVAL);
    assert_non_null(strstr(err.msg, "UTF-8"));
    FAILS(ectl_password_check_policy("abcdefghijkl\xc0\xaf", &err), ECTL_EINVAL);
    FAILS(ectl_password_check_policy("abcdefghijkl\xed\xa0\x80", &err), ECTL_EINVAL);
    FAILS(ectl_password_check_policy("abcdefghijkl\xe3\x81", &err), ECTL_EINVAL);
    FAILS(ectl_password_check_policy("abcdefghijkl\xf4\x90\x80\x80", &err), ECTL_EINVAL);
    OK(ectl_password_check_policy("abcdefghijkl\xf0\x9f\x98\x80", &err)); /* an emoji */
}

static void test_tokens(void **state)
{
    (void)state;
    char text[ECTL_TOKEN_TEXT_LEN + 1], other[ECTL_TOKEN_TEXT_LEN + 1];
    uint8_t h[32], h2[32];
    ectl_token_new(text, h);
    ectl_token_new(other, h2);
    assert_int_equal(strlen(text), ECTL_TOKEN_TEXT_LEN);
    assert_string_not_equal(text, other);
    for (const char *p = text; *p; p++)
        assert_non_null(
            strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", *p));
    assert_int_equal(ectl_token_hash(text, h2), 0);
    assert_memory_equal(h, h2, 32);

    /* Not tokens. */
    char bad[64];
    assert_int_equal(ectl_token_hash(NULL, h2), ECTL_EINVAL);
    assert_int_equal(ectl_token_hash("", h2), ECTL_EINVAL);
    memcpy(bad, text, 42);
    bad[42] = '\0';
    assert_int_equal(ectl_token_hash(bad, h2), ECTL_EINVAL); /* short */
    snprintf(bad, sizeof bad, "%sA", text);
    assert_int_equal(ectl_token_hash(bad, h2), ECTL_EINVAL); /* long */
    snprintf(bad, sizeof bad, "%s", text);
    bad[5] = '+';
    assert_int_equal(ectl_token_hash(bad, h2), ECTL_EINVAL); /* standard base64 */
    snprintf(bad, sizeof bad, "%s", text);
    bad[42] = '=';
    assert_int_equal(ectl_token_hash(bad, h2), ECTL_EINVAL);
    /* 43 characters carry 258 bits: the last two must be zero, so that a
     * token has one spelling only.  'B' sets the lowest of them. */
    snprintf(bad, sizeof bad, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB");
    assert_int_equal(ectl_token_hash(bad, h2), ECTL_EINVAL);
    bad[42] = 'E';
    assert_int_equal(ectl_token_hash(bad, h2), 0);
}

static void test_sha256_hex_equal(void **state)
{
    (void)state;
    uint8_t h[32];
    char hex[65];
    ectl_sha256("abc", 3, h);
    ectl_hex(h, 32, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    ectl_sha256("", 0, h);
    ectl_hex(h, 32, hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    uint8_t a[32] = {1, 2, 3}, b[32] = {1, 2, 3};
    assert_true(ectl_equal_ct(a, b, 32));
    b[31] = 1;
    assert_false(ectl_equal_ct(a, b, 32));
}

static int setup(void **state)
{
    (void)state;
    struct ectl_error err;
    return ectl_auth_init(&err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_password_hash),
        cmocka_unit_test(test_password_policy),
        cmocka_unit_test(test_tokens),
        cmocka_unit_test(test_sha256_hex_equal),
    };
    return cmocka_run_group_tests_name("auth", tests, setup, NULL);
}
