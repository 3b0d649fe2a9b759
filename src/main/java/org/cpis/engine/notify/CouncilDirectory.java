package org.cpis.engine.notify;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cpis.engine.config.Durations;
import org.cpis.engine.config.EngineConfig;
import org.cpis.engine.delivery.EmailRecipient;
import org.cpis.engine.delivery.FhirEndpoint;
import org.cpis.engine.delivery.KeyStoreRef;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * The council directory (mappings/councils.yaml, documented in docs/councils.md): council ODS code to
 * name and channels, plus a required {@code fallback} entry for councils that are missing, so no
 * notification is ever lost for want of an address. Values may use {@code ${config.key}},
 * {@code ${env:NAME}} or {@code ${file:/path/to/secret}} placeholders, resolved at load time; relative
 * file paths are relative to the directory file. Every fault is reported with its line number.
 * Immutable once loaded; reload by loading again.
 */
public final class CouncilDirectory {

    public static final String FALLBACK = "fallback";
    private static final Pattern ODS = Pattern.compile("[A-Z0-9]{3,10}");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]+)}");

    private final Map<String, Council> councils;
    private final Council fallback;

    private CouncilDirectory(Map<String, Council> councils, Council fallback) {
        this.councils = Collections.unmodifiableMap(councils);
        this.fallback = fallback;
    }

    /**
     * The same councils with every notification sent as a FHIR message to {@code base} only
     * ({@code cpis.bench.council-endpoint}: benchmarks and demos, never production).
     */
    public CouncilDirectory withFhirEndpointOnly(String base) {
        Map<String, Council> out = new java.util.LinkedHashMap<>();
        councils.forEach((ods, c) -> out.put(ods, new Council(c.odsCode(), c.name(),
                org.cpis.engine.delivery.FhirEndpoint.of(base), null)));
        Council fb = fallback == null ? null : new Council(fallback.odsCode(), fallback.name(),
                org.cpis.engine.delivery.FhirEndpoint.of(base), null);
        return new CouncilDirectory(out, fb);
    }

    /** Loads the directory the running engine uses: {@code cpis.notify.councils-file}, else the jar's copy. */
    public static CouncilDirectory load(EngineConfig config) {
        String file = config.get("cpis.notify.councils-file", "");
        Path path = file.isEmpty() ? Path.of(config.get("cpis.mappings.dir", "./mappings"), "councils.yaml") : Path.of(file);
        if (Files.isRegularFile(path)) {
            return load(path, config::get);
        }
        if (!file.isEmpty()) {
            throw new CouncilDirectoryException(file, 0, "file not found");
        }
        try (InputStream in = CouncilDirectory.class.getClassLoader().getResourceAsStream("mappings/councils.yaml")) {
            if (in == null) {
                throw new CouncilDirectoryException(path.toString(), 0, "file not found (and none inside the jar)");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "classpath:mappings/councils.yaml",
                    Path.of("."), config::get);
        } catch (IOException e) {
            throw new CouncilDirectoryException("classpath:mappings/councils.yaml", 0, "cannot be read: " + e.getMessage());
        }
    }

    /** Loads a directory file; {@code config} resolves {@code ${key}} placeholders (null = unknown key). */
    public static CouncilDirectory load(Path file, Function<String, String> config) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CouncilDirectoryException(file.toString(), 0, "cannot be read: " + e.getMessage());
        }
        Path dir = file.toAbsolutePath().getParent();
        return parse(text, file.toString(), dir != null ? dir : Path.of("."), config);
    }

    /** Parses directory text; {@code baseDir} anchors relative paths. */
    public static CouncilDirectory parse(String text, String source, Path baseDir, Function<String, String> config) {
        return new Parser(source, baseDir, config).parse(text);
    }

    /** Where notifications for {@code odsCode} go: the council's own entry, or the fallback. */
    public CouncilRoute resolve(String odsCode) {
        String key = odsCode == null ? "" : odsCode.trim().toUpperCase(Locale.ROOT);
        Council c = councils.get(key);
        return c != null ? new CouncilRoute(key, c, false) : new CouncilRoute(key, fallback, true);
    }

    /** The council's own entry, without the fallback. */
    public Optional<Council> find(String odsCode) {
        return Optional.ofNullable(odsCode == null ? null : councils.get(odsCode.trim().toUpperCase(Locale.ROOT)));
    }

    public Map<String, Council> councils() {
        return councils;
    }

    public Council fallback() {
        return fallback;
    }

    /** Walks the YAML node tree, which keeps line numbers (a data-binding parse would lose them). */
    private static final class Parser {
        private final String source;
        private final Path baseDir;
        private final Function<String, String> config;

        Parser(String source, Path baseDir, Function<String, String> config) {
            this.source = source;
            this.baseDir = baseDir;
            this.config = config;
        }

        CouncilDirectory parse(String text) {
            Node root;
            try {
                LoaderOptions opts = new LoaderOptions();
                opts.setAllowDuplicateKeys(false);
                root = new Yaml(opts).compose(new StringReader(text));
            } catch (MarkedYAMLException e) {
                throw fail(e.getProblemMark() != null ? e.getProblemMark().getLine() + 1 : 0,
                        "not valid YAML: " + e.getProblem());
            } catch (YAMLException e) {
                throw fail(0, "not valid YAML: " + e.getMessage());
            }
            if (root == null) {
                throw fail(1, "the file is empty; it needs 'councils:' and 'fallback:'");
            }
            Map<String, NodeTuple> top = mapping(root, "the file", Set.of("councils", "fallback"));
            NodeTuple fb = top.get("fallback");
            if (fb == null) {
                throw fail(line(root), "'fallback:' is required: notifications for councils missing from the directory go there");
            }
            Council fallback = council(FALLBACK, fb.getValueNode());
            Map<String, Council> councils = new LinkedHashMap<>();
            NodeTuple cs = top.get("councils");
            if (cs != null && !isNull(cs.getValueNode())) {
                for (NodeTuple t : mapping(cs.getValueNode(), "'councils'", null).values()) {
                    String ods = scalar(t.getKeyNode(), "council ODS code");
                    if (!ODS.matcher(ods).matches()) {
                        throw fail(line(t.getKeyNode()), "council key '" + ods
                                + "' is not an ODS code (3 to 10 upper-case letters or digits)");
                    }
                    councils.put(ods, council(ods, t.getValueNode()));
                }
            }
            return new CouncilDirectory(councils, fallback);
        }

        private Council council(String ods, Node node) {
            String where = FALLBACK.equals(ods) ? "'fallback'" : "council " + ods;
            Map<String, NodeTuple> m = mapping(node, where, Set.of("name", "channels"));
            String name = m.containsKey("name") ? value(m.get("name").getValueNode(), "name") : null;
            if (name == null || name.isBlank()) {
                throw fail(line(node), where + " needs a 'name'");
            }
            NodeTuple ch = m.get("channels");
            if (ch == null) {
                throw fail(line(node), where + " needs 'channels' with 'fhir', 'email' or both");
            }
            Map<String, NodeTuple> channels = mapping(ch.getValueNode(), where + " channels", Set.of("fhir", "email"));
            if (channels.isEmpty()) {
                throw fail(line(ch.getValueNode()), where + " needs at least one channel: 'fhir' or 'email'");
            }
            FhirEndpoint fhir = channels.containsKey("fhir") ? fhir(where, channels.get("fhir").getValueNode()) : null;
            EmailRecipient email = channels.containsKey("email") ? email(where, channels.get("email").getValueNode()) : null;
            return new Council(ods, name, fhir, email);
        }

        private FhirEndpoint fhir(String where, Node node) {
            Map<String, NodeTuple> m = mapping(node, where + " fhir channel",
                    Set.of("endpoint", "bearer-token", "mutual-tls", "truststore", "connect-timeout", "request-timeout"));
            if (!m.containsKey("endpoint")) {
                throw fail(line(node), where + " fhir channel needs an 'endpoint' (the FHIR base URL)");
            }
            Node epNode = m.get("endpoint").getValueNode();
            String ep = value(epNode, "endpoint");
            URI uri;
            try {
                uri = new URI(ep);
            } catch (URISyntaxException e) {
                throw fail(line(epNode), "endpoint '" + ep + "' is not a URL: " + e.getReason());
            }
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw fail(line(epNode), "endpoint '" + ep + "' must be an http:// or https:// URL with a host");
            }
            String token = m.containsKey("bearer-token") ? value(m.get("bearer-token").getValueNode(), "bearer-token") : null;
            if (token != null && token.isBlank()) {
                throw fail(line(m.get("bearer-token").getValueNode()), "bearer-token resolved to an empty value");
            }
            KeyStoreRef client = m.containsKey("mutual-tls") ? store(m.get("mutual-tls").getValueNode(), "mutual-tls") : null;
            KeyStoreRef trust = m.containsKey("truststore") ? store(m.get("truststore").getValueNode(), "truststore") : null;
            if (client != null && !"https".equals(uri.getScheme())) {
                throw fail(line(m.get("mutual-tls").getKeyNode()), "mutual-tls needs an https:// endpoint");
            }
            Duration connect = m.containsKey("connect-timeout") ? duration(m.get("connect-timeout").getValueNode())
                    : FhirEndpoint.DEFAULT_CONNECT_TIMEOUT;
            Duration request = m.containsKey("request-timeout") ? duration(m.get("request-timeout").getValueNode())
                    : FhirEndpoint.DEFAULT_REQUEST_TIMEOUT;
            return new FhirEndpoint(uri, token, client, trust, connect, request);
        }

        private KeyStoreRef store(Node node, String what) {
            Map<String, NodeTuple> m = mapping(node, what, Set.of("keystore", "path", "password", "type"));
            NodeTuple p = m.containsKey("keystore") ? m.get("keystore") : m.get("path");
            if (p == null) {
                throw fail(line(node), what + " needs 'keystore' (or 'path'): the PKCS12/JKS file");
            }
            Path path = baseDir.resolve(value(p.getValueNode(), "keystore"));
            if (!Files.isRegularFile(path)) {
                throw fail(line(p.getValueNode()), what + " file not found: " + path);
            }
            String pw = m.containsKey("password") ? value(m.get("password").getValueNode(), "password") : "";
            String type = m.containsKey("type") ? value(m.get("type").getValueNode(), "type") : "PKCS12";
            return new KeyStoreRef(path, pw.toCharArray(), type);
        }

        private EmailRecipient email(String where, Node node) {
            Map<String, NodeTuple> m = mapping(node, where + " email channel", Set.of("address", "subject-tag", "smime-certificate"));
            if (!m.containsKey("address")) {
                throw fail(line(node), where + " email channel needs an 'address'");
            }
            Node aNode = m.get("address").getValueNode();
            String address = value(aNode, "address");
            try {
                new InternetAddress(address, true).validate();
            } catch (AddressException e) {
                throw fail(line(aNode), "'" + address + "' is not an email address");
            }
            String tag = m.containsKey("subject-tag") ? value(m.get("subject-tag").getValueNode(), "subject-tag")
                    : EmailRecipient.DEFAULT_SUBJECT_TAG;
            Path cert = null;
            if (m.containsKey("smime-certificate")) {
                Node cNode = m.get("smime-certificate").getValueNode();
                cert = baseDir.resolve(value(cNode, "smime-certificate"));
                try (InputStream in = Files.newInputStream(cert)) {
                    CertificateFactory.getInstance("X.509").generateCertificate(in);
                } catch (IOException | CertificateException e) {
                    throw fail(line(cNode), "smime-certificate " + cert + " is not a readable X.509 certificate");
                }
            }
            return new EmailRecipient(address, tag, cert);
        }

        private Duration duration(Node node) {
            try {
                return Durations.parse(value(node, "duration"));
            } catch (IllegalArgumentException e) {
                throw fail(line(node), e.getMessage());
            }
        }

        private Map<String, NodeTuple> mapping(Node node, String where, Set<String> allowed) {
            if (!(node instanceof MappingNode mn)) {
                throw fail(line(node), where + " must be a mapping (key: value lines)");
            }
            Map<String, NodeTuple> out = new LinkedHashMap<>();
            for (NodeTuple t : mn.getValue()) {
                String key = scalar(t.getKeyNode(), "key");
                if (allowed != null && !allowed.contains(key)) {
                    throw fail(line(t.getKeyNode()), "unknown key '" + key + "' in " + where + "; allowed: "
                            + String.join(", ", allowed.stream().sorted().toList()));
                }
                if (out.put(key, t) != null) {
                    throw fail(line(t.getKeyNode()), "duplicate key '" + key + "' in " + where);
                }
            }
            return out;
        }

        private String scalar(Node node, String what) {
            if (!(node instanceof ScalarNode sn)) {
                throw fail(line(node), what + " must be a plain value");
            }
            return sn.getValue();
        }

        /** A scalar with its placeholders resolved. */
        private String value(Node node, String what) {
            String raw = scalar(node, what);
            Matcher m = PLACEHOLDER.matcher(raw);
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                String ref = m.group(1).trim();
                String v = resolve(ref, line(node));
                m.appendReplacement(sb, Matcher.quoteReplacement(v));
            }
            m.appendTail(sb);
            return sb.toString().trim();
        }

        private String resolve(String ref, int line) {
            String v;
            if (ref.startsWith("env:")) {
                v = System.getenv(ref.substring(4));
            } else if (ref.startsWith("file:")) {
                Path p = baseDir.resolve(ref.substring(5));
                try {
                    v = Files.readString(p, StandardCharsets.UTF_8).trim();
                } catch (IOException e) {
                    // The path is shown, never the content: it is a secret.
                    throw fail(line, "secret file " + p + " cannot be read");
                }
            } else {
                v = config.apply(ref);
            }
            if (v == null || v.isEmpty()) {
                throw fail(line, "placeholder ${" + ref + "} has no value");
            }
            return v;
        }

        private static boolean isNull(Node node) {
            return node instanceof ScalarNode sn && ("".equals(sn.getValue()) || "~".equals(sn.getValue())
                    || "null".equals(sn.getValue()));
        }

        private static int line(Node node) {
            return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
        }

        private CouncilDirectoryException fail(int line, String problem) {
            return new CouncilDirectoryException(source, line, problem);
        }
    }
}
