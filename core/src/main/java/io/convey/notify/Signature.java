package io.convey.notify;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code X-Convey-Signature-256} header: {@code sha256=} and the hex HMAC-SHA256 of the exact body bytes, keyed
 * with the hook's secret (the same scheme as GitHub's webhooks, so receivers have ready-made verifiers).
 */
public final class Signature {
    public static final String HEADER = "X-Convey-Signature-256";

    private Signature() {}

    public static String sign(byte[] secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** Whether {@code header} is the signature of {@code body}; compared in constant time. */
    public static boolean verify(byte[] secret, byte[] body, String header) {
        return header != null && MessageDigest.isEqual(sign(secret, body).getBytes(StandardCharsets.US_ASCII),
                header.getBytes(StandardCharsets.US_ASCII));
    }

    /** The secret as stored in a secret file: its bytes without the trailing newline editors add. */
    static byte[] fromFile(byte[] content) {
        String text = new String(content, StandardCharsets.UTF_8).strip();
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
