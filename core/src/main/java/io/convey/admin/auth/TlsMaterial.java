package io.convey.admin.auth;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin listener's certificate and key: PEM files named by {@code [admin] tls_cert}/{@code tls_key}, or the
 * {@link SelfSignedCertificate} generated once in the state directory and kept across restarts. {@link #reloadIfChanged} notices replaced files (modification time or size).
 * Thread-safe: the current identity is one volatile reference.
 */
public final class TlsMaterial {
    private static final Logger log = LoggerFactory.getLogger(TlsMaterial.class);
    public static final String CERT_FILE = "admin-cert.pem";
    public static final String KEY_FILE = "admin-key.pem";
    /** The in-memory key store's password: it never leaves the process. */
    public static final char[] KEY_STORE_PASSWORD = "convey".toCharArray();

    /** A certificate chain with its key. */
    public record Identity(List<X509Certificate> chain, PrivateKey key) {
        public X509Certificate certificate() {
            return chain.getFirst();
        }

        public String fingerprint() {
            return TlsMaterial.fingerprint(certificate());
        }

        /** A PKCS#12 key store holding this identity under alias {@code admin}. */
        public KeyStore keyStore() {
            try {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                store.setKeyEntry("admin", key, KEY_STORE_PASSWORD, chain.toArray(X509Certificate[]::new));
                return store;
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException("an in-memory PKCS12 store accepts a loaded key", e);
            }
        }
    }

    private final Path certFile;
    private final Path keyFile;
    private volatile Identity identity;
    private volatile Stamp stamp;

    private record Stamp(FileTime certTime, long certSize, FileTime keyTime, long keySize) {}

    private TlsMaterial(Path certFile, Path keyFile, Identity identity, Stamp stamp) {
        this.certFile = certFile;
        this.keyFile = keyFile;
        this.identity = identity;
        this.stamp = stamp;
    }

    /** Loads the configured PEM files. */
    public static TlsMaterial load(Path certFile, Path keyFile) throws IOException {
        Stamp stamp = stamp(certFile, keyFile);
        return new TlsMaterial(certFile, keyFile, read(certFile, keyFile), stamp);
    }

    /**
     * Loads the self-signed certificate from {@code stateDir}, generating it first if it is not there, with SANs
     * for {@code names} and {@code addresses}.
     */
    public static TlsMaterial selfSigned(Path stateDir, Set<String> names, Set<InetAddress> addresses, Clock clock)
            throws IOException {
        Path cert = stateDir.resolve(CERT_FILE);
        Path key = stateDir.resolve(KEY_FILE);
        if (!Files.exists(cert) || !Files.exists(key)) {
            SelfSignedCertificate.generate(cert, key, names, addresses, clock);
        }
        return load(cert, key);
    }

    public Identity identity() {
        return identity;
    }

    public Path certFile() {
        return certFile;
    }

    /** Re-reads the files if they changed; returns the new identity, or empty (unchanged, or unreadable: logged). */
    public synchronized Optional<Identity> reloadIfChanged() {
        Stamp now;
        try {
            now = stamp(certFile, keyFile);
        } catch (IOException e) {
            return Optional.empty(); // a file being replaced; the next check sees it
        }
        if (now.equals(stamp)) {
            return Optional.empty();
        }
        try {
            Identity next = read(certFile, keyFile);
            stamp = now;
            if (next.certificate().equals(identity.certificate()) && next.key().equals(identity.key())) {
                return Optional.empty();
            }
            identity = next;
            return Optional.of(next);
        } catch (IOException | RuntimeException e) {
            // half-replaced pair (new cert, old key) or a broken file: keep serving the old one and say why
            log.warn("admin certificate not reloaded cert={} key={} reason=\"{}\"", certFile, keyFile, e.getMessage());
            return Optional.empty();
        }
    }

    /** SHA-256 of the DER encoding, as {@code openssl x509 -fingerprint -sha256} prints it (upper hex, colons). */
    public static String fingerprint(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** The certificate at {@code certFile} (the first in the file). */
    public static X509Certificate readCertificate(Path certFile) throws IOException {
        return certificates(certFile).getFirst();
    }

    private static Stamp stamp(Path cert, Path key) throws IOException {
        return new Stamp(Files.getLastModifiedTime(cert), Files.size(cert), Files.getLastModifiedTime(key), Files.size(key));
    }

    private static Identity read(Path certFile, Path keyFile) throws IOException {
        List<X509Certificate> chain = certificates(certFile);
        PrivateKey key = privateKey(keyFile);
        if (!chain.getFirst().getPublicKey().equals(publicKeyOf(key, chain.getFirst()))) {
            throw new IOException(keyFile + ": the key does not belong to the certificate in " + certFile);
        }
        return new Identity(List.copyOf(chain), key);
    }

    /** The certificate's public key when {@code key} signs what it verifies, else null (a mismatched pair). */
    private static java.security.PublicKey publicKeyOf(PrivateKey key, X509Certificate cert) {
        try {
            String algorithm = key.getAlgorithm().equals("EC") ? "SHA256withECDSA"
                    : key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : null;
            if (algorithm == null) {
                return cert.getPublicKey(); // other key types: Jetty's handshake will tell
            }
            byte[] probe = "convey key check".getBytes(StandardCharsets.US_ASCII);
            java.security.Signature signer = java.security.Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            java.security.Signature verifier = java.security.Signature.getInstance(algorithm);
            verifier.initVerify(cert.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature) ? cert.getPublicKey() : null;
        } catch (GeneralSecurityException e) {
            return null;
        }
    }

    private static List<X509Certificate> certificates(Path file) throws IOException {
        List<X509Certificate> chain = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser pem = new PEMParser(reader)) {
            Object item;
            while ((item = pem.readObject()) != null) {
                if (item instanceof X509CertificateHolder holder) {
                    chain.add(new JcaX509CertificateConverter().getCertificate(holder));
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IOException(file + ": not a valid certificate (" + e.getMessage() + ")", e);
        }
        if (chain.isEmpty()) {
            throw new IOException(file + ": no certificate (expected: a PEM \"BEGIN CERTIFICATE\" block)");
        }
        return chain;
    }

    private static PrivateKey privateKey(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser pem = new PEMParser(reader)) {
            Object item;
            while ((item = pem.readObject()) != null) {
                JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
                if (item instanceof PEMKeyPair pair) {
                    return converter.getKeyPair(pair).getPrivate();
                }
                if (item instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
            }
        }
        throw new IOException(file + ": no private key (expected: an unencrypted PEM private key)");
    }

    /** {@code object} (a certificate or key) as PEM text. */
    public static byte[] pem(Object object) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object instanceof PrivateKey key
                    ? new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key, null) : object);
        }
        return out.toString().getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public String toString() {
        return Objects.toString(certFile);
    }
}
