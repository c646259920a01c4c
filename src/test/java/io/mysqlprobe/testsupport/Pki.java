package io.mysqlprobe.testsupport;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Certificate authorities and server certificates made by the {@code openssl} command in a directory. */
public final class Pki {

    /** A PEM certificate and its PEM private key. */
    public record Pair(Path cert, Path key) {}

    private final Path dir;

    public Pki(Path dir) {
        this.dir = dir;
    }

    /** A self-signed CA {@code NAME.crt} / {@code NAME.key}. */
    public Pair ca(String name) throws IOException, InterruptedException {
        Pair p = new Pair(dir.resolve(name + ".crt"), dir.resolve(name + ".key"));
        openssl(
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-nodes",
                "-keyout",
                p.key().toString(),
                "-out",
                p.cert().toString(),
                "-days",
                "2",
                "-subj",
                "/CN=" + name,
                "-addext",
                "basicConstraints=critical,CA:TRUE",
                "-addext",
                "keyUsage=critical,keyCertSign,cRLSign");
        return p;
    }

    /**
     * A server certificate for {@code 127.0.0.1} and {@code localhost} signed by {@code ca}, with an RSA key; its key in
     * PKCS#1 ({@code BEGIN RSA PRIVATE KEY}, cert-manager's default) when {@code pkcs1}, else PKCS#8.
     */
    public Pair server(Pair ca, String name, boolean pkcs1) throws IOException, InterruptedException {
        return server(ca, name, pkcs1, "IP:127.0.0.1,DNS:localhost");
    }

    /** The same with other subject alternative names ({@code san} in openssl's syntax). */
    public Pair server(Pair ca, String name, boolean pkcs1, String san) throws IOException, InterruptedException {
        Pair p = new Pair(dir.resolve(name + ".crt"), dir.resolve(name + ".key"));
        Path csr = dir.resolve(name + ".csr");
        Path ext = Files.writeString(
                dir.resolve(name + ".ext"), "subjectAltName=" + san + "\nextendedKeyUsage=serverAuth\n");
        openssl(
                "req",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                p.key().toString(),
                "-out",
                csr.toString(),
                "-subj",
                "/CN=" + name);
        openssl(
                "x509",
                "-req",
                "-in",
                csr.toString(),
                "-CA",
                ca.cert().toString(),
                "-CAkey",
                ca.key().toString(),
                "-CAcreateserial",
                "-out",
                p.cert().toString(),
                "-days",
                "2",
                "-extfile",
                ext.toString());
        if (pkcs1) {
            openssl("rsa", "-in", p.key().toString(), "-out", p.key().toString(), "-traditional");
        }
        return p;
    }

    public static BigInteger serial(Path cert) throws Exception {
        try (var in = Files.newInputStream(cert)) {
            return ((X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in))
                    .getSerialNumber();
        }
    }

    private void openssl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Path out = dir.resolve("openssl.log");
        Process p = new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .start();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", cmd) + " failed:\n" + Files.readString(out));
        }
    }
}
