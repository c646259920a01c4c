package io.mysqlprobe.config;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.impl.KeyStoreHelper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The PEM files of {@code tls.*}, checked before the server starts so a missing, unreadable or mismatched
 * certificate or key stops start-up with one line naming the key; and the client side: an {@link SSLContext}
 * trusting {@code tls.ca_file} for masters, standbys and {@code tail}.
 */
public final class TlsFiles {

    private TlsFiles() {}

    /** Throws a {@link ConfigException} naming the key when a configured file cannot serve. */
    public static void check(ProbeConfig.Tls tls) {
        if (tls.serving()) {
            byte[] cert = read("tls.cert_file", tls.certFile());
            byte[] key = read("tls.key_file", tls.keyFile());
            List<X509Certificate> chain = certificates("tls.cert_file", tls.certFile(), cert);
            PrivateKey privateKey = privateKey(tls.keyFile(), key, cert);
            if (!matches(privateKey, chain.get(0))) {
                throw new ConfigException(
                        "tls.key_file: \"" + tls.keyFile() + "\" is not the key of the certificate in "
                                + "tls.cert_file (" + chain.get(0).getSubjectX500Principal() + ")");
            }
        }
        if (tls.caFile() != null) {
            certificates("tls.ca_file", tls.caFile(), read("tls.ca_file", tls.caFile()));
        }
    }

    /**
     * The context a client uses to reach peers: trusting the certificates of {@code caFile}, or the JVM's
     * default trust store when it is null. Re-read at each call, so a rotated CA bundle applies to new links.
     */
    public static SSLContext clientContext(String caFile) {
        return clientContext(caFile, true);
    }

    /**
     * @param verifyHostname false: a peer is trusted when {@code caFile} signed its certificate, whatever names
     *                       the certificate holds ({@code tls.verify_hostname: false}, for slaves on host networks
     *                       whose node addresses no certificate can list in advance)
     */
    public static SSLContext clientContext(String caFile, boolean verifyHostname) {
        try {
            if (caFile == null && verifyHostname) {
                return SSLContext.getDefault();
            }
            KeyStore trust = null; // null: the JVM's default trust store
            if (caFile != null) {
                List<X509Certificate> cas = certificates("tls.ca_file", caFile, read("tls.ca_file", caFile));
                trust = KeyStore.getInstance(KeyStore.getDefaultType());
                trust.load(null, null);
                for (int i = 0; i < cas.size(); i++) {
                    trust.setCertificateEntry("ca-" + i, cas.get(i));
                }
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            TrustManager[] managers = tmf.getTrustManagers();
            if (!verifyHostname) {
                for (int i = 0; i < managers.length; i++) {
                    if (managers[i] instanceof X509TrustManager x) {
                        managers[i] = new ChainOnlyTrustManager(x);
                    }
                }
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, managers, null);
            return ctx;
        } catch (ConfigException e) {
            throw e;
        } catch (Exception e) {
            throw new ConfigException("tls.ca_file: \"" + caFile + "\" cannot be used: " + e.getMessage());
        }
    }

    /**
     * Verifies the peer's chain against the CA but not the peer's name: the engine/socket variants, which JSSE
     * uses to check the name against the address dialled, verify the chain alone.
     */
    private static final class ChainOnlyTrustManager extends X509ExtendedTrustManager {
        private final X509TrustManager chain;

        ChainOnlyTrustManager(X509TrustManager chain) {
            this.chain = chain;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] certs, String authType) throws CertificateException {
            chain.checkServerTrusted(certs, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] certs, String authType, Socket socket)
                throws CertificateException {
            chain.checkServerTrusted(certs, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] certs, String authType, SSLEngine engine)
                throws CertificateException {
            chain.checkServerTrusted(certs, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] certs, String authType) throws CertificateException {
            chain.checkClientTrusted(certs, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] certs, String authType, Socket socket)
                throws CertificateException {
            chain.checkClientTrusted(certs, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] certs, String authType, SSLEngine engine)
                throws CertificateException {
            chain.checkClientTrusted(certs, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return chain.getAcceptedIssuers();
        }
    }

    private static byte[] read(String key, String file) {
        try {
            return Files.readAllBytes(Path.of(file));
        } catch (IOException | RuntimeException e) {
            throw new ConfigException(key + ": \"" + file + "\" cannot be read: "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()));
        }
    }

    private static List<X509Certificate> certificates(String key, String file, byte[] pem) {
        Collection<? extends Certificate> certs;
        try {
            certs = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem));
        } catch (Exception e) {
            certs = Collections.emptyList();
        }
        List<X509Certificate> out = new ArrayList<>();
        for (Certificate c : certs) {
            out.add((X509Certificate) c);
        }
        if (out.isEmpty()) {
            throw new ConfigException(key + ": \"" + file + "\" holds no PEM certificate");
        }
        return out;
    }

    /** The key parsed as the HTTP server will parse it (PKCS#8, PKCS#1 RSA or SEC1 EC). */
    private static PrivateKey privateKey(String file, byte[] key, byte[] cert) {
        if (!new String(key, StandardCharsets.US_ASCII).contains("PRIVATE KEY-----")) {
            throw new ConfigException("tls.key_file: \"" + file + "\" holds no PEM private key");
        }
        try {
            KeyStore ks = KeyStoreHelper.loadKeyCert(List.of(Buffer.buffer(key)), List.of(Buffer.buffer(cert)));
            String alias = ks.aliases().nextElement();
            return (PrivateKey) ks.getKey(alias, KeyStoreHelper.DUMMY_PASSWORD.toCharArray());
        } catch (Exception e) {
            throw new ConfigException("tls.key_file: \"" + file + "\" cannot be used: "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()));
        }
    }

    /** Signs with the key and verifies with the certificate's public key. */
    static boolean matches(PrivateKey key, X509Certificate cert) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> null;
        };
        if (algorithm == null) {
            return cert.getPublicKey().getAlgorithm().equals(key.getAlgorithm());
        }
        try {
            byte[] data = "mysql-probe".getBytes(StandardCharsets.US_ASCII);
            Signature s = Signature.getInstance(algorithm);
            s.initSign(key);
            s.update(data);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance(algorithm);
            v.initVerify(cert.getPublicKey());
            v.update(data);
            return v.verify(sig);
        } catch (Exception e) {
            return false;
        }
    }
}
