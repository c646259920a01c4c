package io.mysqlprobe.fingerprint;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The stable 64-bit id of a template: the last 8 bytes (16 hex digits) of MD5 over its UTF-8 bytes — the
 * function pt-query-digest uses for its query checksum ({@code substr(md5_hex($fingerprint), -16)}), so the
 * same template has the same id on every node and in every version. Computed on template-cache misses only.
 */
public final class Digest {

    private Digest() {}

    /** The id of {@code template}. */
    public static long of(String template) {
        byte[] md5 = md5().digest(template.getBytes(StandardCharsets.UTF_8));
        long id = 0;
        for (int i = 8; i < 16; i++) {
            id = (id << 8) | (md5[i] & 0xff);
        }
        return id;
    }

    /** The id as 16 lower-case hex digits, as {@link Fingerprint#idHex()} shows it. */
    public static String hex(long id) {
        return HexFormat.of().toHexDigits(id);
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is required of every JVM", e);
        }
    }
}
