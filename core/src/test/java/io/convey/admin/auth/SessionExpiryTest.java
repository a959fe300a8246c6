package io.convey.admin.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A browser session ends after its idle time without a request, and at its maximum age whatever the activity. */
class SessionExpiryTest {
    private final MutableClock clock = new MutableClock();
    private final SessionStore sessions = new SessionStore(clock, Duration.ofMinutes(30), Duration.ofHours(12));

    @Test
    void aSessionUsedWithinItsIdleTimeLivesUntilItsMaximumAge() {
        SessionStore.Opened opened = sessions.open("alice");
        for (int i = 1; i <= 24; i++) { // a request every 29 minutes: 11 h 36 min in all
            clock.advance(Duration.ofMinutes(29));
            assertThat(sessions.find(opened.cookie())).as("request %d", i).isPresent();
        }
        clock.advance(Duration.ofMinutes(25)); // 12 h 01 min after login
        assertThat(sessions.find(opened.cookie())).isEmpty();
    }

    @Test
    void anIdleSessionEnds() {
        SessionStore.Opened opened = sessions.open("alice");
        clock.advance(Duration.ofMinutes(29));
        assertThat(sessions.find(opened.cookie())).isPresent();
        clock.advance(Duration.ofMinutes(30));
        assertThat(sessions.find(opened.cookie())).isEmpty();
    }

    @Test
    void theCookieValueIsNotWhatIsKeptAndEachSessionHasItsOwnCsrfToken() {
        SessionStore.Opened a = sessions.open("alice");
        SessionStore.Opened b = sessions.open("alice");
        assertThat(a.session().key()).isNotEqualTo(a.cookie()).isEqualTo(Secrets.sha256(a.cookie()));
        assertThat(a.session().csrf()).isNotEqualTo(b.session().csrf()).hasSizeGreaterThanOrEqualTo(40);
        sessions.endAll("alice", b.session().key());
        assertThat(sessions.find(a.cookie())).isEmpty();
        assertThat(sessions.find(b.cookie())).isPresent();
        assertThat(sessions.find("forged")).isEmpty();
    }
}
