package io.convey.admin.auth;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin listener's own certificate when none is configured: an ECDSA P-256 key (the JDK's) and a self-signed
 * X.509 certificate built with Bouncy Castle's bcpkix (a kept library, not hand-built DER), valid ten years,
 * naming every name and address the admin answers to.
 */
public final class SelfSignedCertificate {
    private static final Logger log = LoggerFactory.getLogger(SelfSignedCertificate.class);
    static final Duration VALIDITY = Duration.ofDays(3650);

    private SelfSignedCertificate() {}

    static void generate(Path certFile, Path keyFile, Set<String> names, Set<InetAddress> addresses, Clock clock)
            throws IOException {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            KeyPair pair = generator.generateKeyPair();
            Instant now = clock.instant();
            String host = names.stream().filter(n -> !n.equals("localhost")).findFirst().orElse("localhost");
            X500Name subject = new X500Name("CN=" + host.replaceAll("[,=+<>#;\"\\\\]", "_") + ",O=Convey appliance");
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                    new BigInteger(127, new SecureRandom()), Date.from(now.minus(Duration.ofDays(1))),
                    Date.from(now.plus(VALIDITY)), subject, pair.getPublic());
            Set<GeneralName> sans = new LinkedHashSet<>();
            names.forEach(n -> sans.add(new GeneralName(GeneralName.dNSName, n)));
            addresses.forEach(a -> sans.add(new GeneralName(GeneralName.iPAddress, a.getHostAddress().replaceAll("%.*", ""))));
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans.toArray(GeneralName[]::new)));
            // an end-entity certificate (not a CA): browsers refuse a CA certificate used as a server's own
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
            SecretFiles.write(keyFile, TlsMaterial.pem(pair.getPrivate()));
            SecretFiles.write(certFile, TlsMaterial.pem(certificate));
            log.info("admin certificate generated cert={} names={} addresses={}", certFile, names,
                    addresses.stream().map(InetAddress::getHostAddress).toList());
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IOException("cannot generate the admin certificate (" + e.getMessage() + ")", e);
        }
    }

    /** The names for the certificate and the Host check: {@code localhost} and the host name (lower case). */
    public static Set<String> defaultNames() {
        Set<String> names = new LinkedHashSet<>();
        names.add("localhost");
        try {
            String host = InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT);
            if (!host.isBlank() && !host.equals("localhost") && host.matches("[a-z0-9.-]+")) {
                names.add(host);
            }
        } catch (IOException e) {
            // no resolvable host name: localhost and the addresses still cover local use
        }
        return names;
    }

}
