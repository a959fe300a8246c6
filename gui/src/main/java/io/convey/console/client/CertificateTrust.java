package io.convey.console.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The TLS trust of one appliance as an {@link SSLContext} for {@code java.net.http}. Every handshake the trust does
 * not cover fails, so no request is ever sent to an unverified peer.
 */
public final class CertificateTrust {
    private static final HexFormat HEX = HexFormat.ofDelimiter(":").withUpperCase();

    private CertificateTrust() {
    }

    /** An SSL context that trusts what {@code trust} says and nothing else. */
    static SSLContext sslContext(Trust trust) {
        TrustManager manager = switch (trust) {
            case Trust.FirstUse f -> new Pinning(null);
            case Trust.Pinned p -> new Pinning(p.fingerprint());
            case Trust.CaFile c -> caFile(c);
        };
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {manager}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS is not available in this Java runtime", e);
        }
    }

    /** The SHA-256 fingerprint as {@code openssl x509 -fingerprint -sha256} prints it (AB:CD:...). */
    public static String fingerprint(X509Certificate certificate) {
        try {
            return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot hash the certificate", e);
        }
    }

    /**
     * A fingerprint as the operator may paste it (with or without {@code SHA256 Fingerprint=}, colons, lower case)
     * in the one form the console stores and compares.
     *
     * @throws IllegalArgumentException in the console's error format when it is not 32 bytes of hex
     */
    public static String normalize(String fingerprint) {
        String text = fingerprint == null ? "" : fingerprint.strip();
        String hex = text.substring(text.indexOf('=') + 1).replaceAll("[\\s:]", "").toUpperCase(Locale.ROOT);
        if (!hex.matches("[0-9A-F]{64}")) {
            throw new IllegalArgumentException("fingerprint: " + text + " (expected: SHA-256 as AB:CD:... , 32 bytes)");
        }
        return HEX.formatHex(HexFormat.of().parseHex(hex));
    }

    /**
     * The JDK's PKIX trust manager over the file's certificates. It also checks the host name against the
     * certificate, because {@code java.net.http} asks for HTTPS endpoint identification.
     */
    private static TrustManager caFile(Trust.CaFile ca) {
        try (InputStream in = Files.newInputStream(ca.file())) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509")
                    .generateCertificates(in);
            if (certificates.isEmpty()) {
                return new Refusing("ca_file: " + ca.file() + " (expected: PEM certificates)");
            }
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate certificate : certificates) {
                store.setCertificateEntry("ca-" + i++, certificate);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return factory.getTrustManagers()[0];
        } catch (IOException | GeneralSecurityException e) {
            return new Refusing("ca_file: " + ca.file() + " (cannot be read: " + e.getMessage() + ")");
        }
    }

    /**
     * Trusts exactly the pinned certificate; without a pin, nothing (the failure names the certificate so that the
     * operator can decide). With a pin the pin is the trust, whatever name the address uses (a self-signed
     * certificate knows no DNS aliases).
     */
    private static final class Pinning extends ServerTrust {
        private final String pinned;

        Pinning(String pinned) {
            this.pinned = pinned;
        }

        @Override
        void check(X509Certificate[] chain) throws CertificateException {
            if (chain == null || chain.length == 0) {
                throw new CertificateException("the appliance presented no certificate");
            }
            String presented = fingerprint(chain[0]);
            if (pinned != null && MessageDigest.isEqual(presented.getBytes(StandardCharsets.US_ASCII),
                    pinned.getBytes(StandardCharsets.US_ASCII))) {
                return;
            }
            throw new UntrustedCertificateException(chain[0], presented, pinned);
        }
    }

    /** Fails every handshake with the reason the trust could not be set up (an unreadable CA file). */
    private static final class Refusing extends ServerTrust {
        private final String reason;

        Refusing(String reason) {
            this.reason = reason;
        }

        @Override
        void check(X509Certificate[] chain) throws CertificateException {
            throw new CertificateException(reason);
        }
    }

    /**
     * A trust manager for the client side of TLS, deciding with {@link #check} alone. An
     * {@link X509ExtendedTrustManager}, so that JSSE leaves endpoint identification to it instead of wrapping it in
     * its own host name check.
     */
    private abstract static class ServerTrust extends X509ExtendedTrustManager {
        abstract void check(X509Certificate[] chain) throws CertificateException;

        @Override
        public final void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            check(chain);
        }

        @Override
        public final void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            check(chain);
        }

        @Override
        public final void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            check(chain);
        }

        @Override
        public final void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("the console accepts no client connections");
        }

        @Override
        public final void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            throw new CertificateException("the console accepts no client connections");
        }

        @Override
        public final void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            throw new CertificateException("the console accepts no client connections");
        }

        @Override
        public final X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
