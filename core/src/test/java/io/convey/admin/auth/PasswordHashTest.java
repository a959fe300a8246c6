package io.convey.admin.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Argon2id hashes in PHC form: salted, checked with the parameters stored in each hash, malformed ones match nothing. */
class PasswordHashTest {

    @Test
    void aHashMatchesItsPasswordOnly() {
        String hash = PasswordHash.hash("correct horse battery".toCharArray());
        assertThat(hash).matches("\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
        assertThat(PasswordHash.verify(hash, "correct horse battery".toCharArray())).isTrue();
        assertThat(PasswordHash.verify(hash, "correct horse batterY".toCharArray())).isFalse();
        assertThat(PasswordHash.hash("correct horse battery".toCharArray())).as("a fresh salt").isNotEqualTo(hash);
    }

    @Test
    void theParametersStoredInAHashAreTheOnesUsedToCheckIt() {
        String cheap = PasswordHash.hash("old password".toCharArray(), 64, 1, 2);
        assertThat(cheap).startsWith("$argon2id$v=19$m=64,t=1,p=2$");
        assertThat(PasswordHash.verify(cheap, "old password".toCharArray())).as("checked with m=64,t=1,p=2").isTrue();
        String relabelled = cheap.replace("m=64,t=1,p=2", "m=19456,t=2,p=1");
        assertThat(PasswordHash.wellFormed(relabelled)).isTrue();
        assertThat(PasswordHash.verify(relabelled, "old password".toCharArray())).as("other parameters, other hash").isFalse();
    }

    @Test
    void malformedHashesMatchNothing() {
        assertThat(PasswordHash.verify(null, "x".toCharArray())).isFalse();
        assertThat(PasswordHash.verify("plain text", "plain text".toCharArray())).isFalse();
        assertThat(PasswordHash.verify("$argon2i$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaA", "x".toCharArray())).isFalse();
    }
}
