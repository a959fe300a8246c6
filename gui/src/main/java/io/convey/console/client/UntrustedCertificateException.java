package io.convey.console.client;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Optional;

/**
 * An appliance presented a certificate the console does not trust: one it has not seen (the operator may accept its
 * fingerprint), or one that differs from the fingerprint trusted before (refused; nothing is sent).
 */
public final class UntrustedCertificateException extends CertificateException {
    private final String presented;
    private final String pinned;
    private final transient X509Certificate certificate;

    UntrustedCertificateException(X509Certificate certificate, String presented, String pinned) {
        super(pinned == null
                ? "the appliance's certificate is not trusted yet (SHA-256 " + presented + ")"
                : "the appliance's certificate has changed: trusted SHA-256 " + pinned + ", presented SHA-256 "
                        + presented + "; refused (if it was replaced on purpose, compare `convey --admin-fingerprint`"
                        + " on the appliance, then forget the appliance and add it again)");
        this.certificate = certificate;
        this.presented = presented;
        this.pinned = pinned;
    }

    /** The SHA-256 fingerprint of the certificate the appliance presented. */
    public String presented() {
        return presented;
    }

    /** The fingerprint trusted before, when the certificate has changed since. */
    public Optional<String> pinned() {
        return Optional.ofNullable(pinned);
    }

    /** True when a different certificate was trusted before: a warning, never a question. */
    public boolean changed() {
        return pinned != null;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** The exception behind a failed request, wherever the HTTP client and TLS layers wrapped it. */
    public static Optional<UntrustedCertificateException> in(Throwable failure) {
        for (Throwable e = failure; e != null; e = e.getCause()) {
            if (e instanceof UntrustedCertificateException untrusted) {
                return Optional.of(untrusted);
            }
            if (e.getCause() == e) {
                break;
            }
        }
        return Optional.empty();
    }
}
