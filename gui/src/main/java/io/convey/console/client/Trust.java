package io.convey.console.client;

import java.nio.file.Path;

/**
 * How the console decides that a TLS certificate is the appliance's own: nothing yet (the first connection, which
 * only shows the certificate and never proceeds), a fingerprint the operator accepted, or a CA file they gave.
 */
public sealed interface Trust {
    /** No trust yet: every handshake fails with an {@link UntrustedCertificateException} naming the certificate. */
    record FirstUse() implements Trust {
    }

    /** Exactly the certificate with this SHA-256 fingerprint (colon-separated upper-case hex); the pin is the trust. */
    record Pinned(String fingerprint) implements Trust {
        public Pinned {
            fingerprint = CertificateTrust.normalize(fingerprint);
        }
    }

    /** Certificates issued by the CAs in this PEM file, for the host name in the appliance's address. */
    record CaFile(Path file) implements Trust {
    }

    static Trust firstUse() {
        return new FirstUse();
    }
}
