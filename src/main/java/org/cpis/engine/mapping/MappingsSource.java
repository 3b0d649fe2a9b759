package org.cpis.engine.mapping;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Where dialect files come from: a mappings folder on disk ({@code DIR/dialects/*.yaml}), or the
 * copy packed into the jar under {@code /mappings/dialects/}.
 */
public final class MappingsSource {

    /** One dialect file's text and the name used for it in messages. */
    public record SourceFile(String dialectName, String displayName, String text) {
    }

    private final Path dialectsDir;
    private final boolean classpath;

    private MappingsSource(Path dialectsDir, boolean classpath) {
        this.dialectsDir = dialectsDir;
        this.classpath = classpath;
    }

    /**
     * A mappings folder: {@code dir/dialects} when it exists, else {@code dir} itself (so both the
     * mappings folder and its dialects folder can be named).
     */
    public static MappingsSource directory(Path dir) {
        Path d = Files.isDirectory(dir.resolve("dialects")) ? dir.resolve("dialects") : dir;
        return new MappingsSource(d, false);
    }

    /** The mappings packed into the jar. */
    public static MappingsSource classpath() {
        return new MappingsSource(null, true);
    }

    /** {@code dir} when it exists on disk, else the jar's copy (the engine's and CLI's default). */
    public static MappingsSource directoryOrClasspath(Path dir) {
        return dir != null && Files.isDirectory(dir) ? directory(dir) : classpath();
    }

    /** The folder watched for hot reload, or null for the jar's copy. */
    public Path dialectsDir() {
        return dialectsDir;
    }

    public String describe() {
        return classpath ? "classpath:/mappings/dialects" : dialectsDir.toString();
    }

    /** Reads every {@code *.yaml} / {@code *.yml} dialect file, sorted by name. */
    public List<SourceFile> read() {
        try {
            if (!classpath) {
                if (!Files.isDirectory(dialectsDir)) {
                    throw new IOException("mappings folder " + dialectsDir + " does not exist");
                }
                return readDir(dialectsDir, dialectsDir.toString());
            }
            URL url = MappingsSource.class.getResource("/mappings/dialects/default.yaml");
            if (url == null) {
                throw new IOException("no /mappings/dialects/default.yaml on the classpath");
            }
            URI uri = url.toURI();
            if ("jar".equals(uri.getScheme())) {
                return readJar(uri);
            }
            return readDir(Path.of(uri).getParent(), "classpath:/mappings/dialects");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads the jar's copy through a zip file system, closed again once read: it indexes every entry
     * of the fat jar (about 90,000), which left open held some 24 MB of heap for the engine's life.
     */
    static synchronized List<SourceFile> readJar(URI uri) throws IOException {
        FileSystem opened;
        try {
            opened = FileSystems.newFileSystem(uri, Map.of());
        } catch (FileSystemAlreadyExistsException e) {
            // Someone else's: read through it, leave it open.
            return readDir(FileSystems.getFileSystem(uri).getPath("/mappings/dialects"), "classpath:/mappings/dialects");
        }
        try (opened) {
            return readDir(opened.getPath("/mappings/dialects"), "classpath:/mappings/dialects");
        }
    }

    private static List<SourceFile> readDir(Path dir, String display) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> {
                String n = p.getFileName().toString();
                return (n.endsWith(".yaml") || n.endsWith(".yml")) && Files.isRegularFile(p);
            }).sorted().toList();
        }
        List<SourceFile> out = new ArrayList<>();
        for (Path p : files) {
            String n = p.getFileName().toString();
            String name = n.substring(0, n.lastIndexOf('.'));
            out.add(new SourceFile(name, display + "/" + n, Files.readString(p, StandardCharsets.UTF_8)));
        }
        return out;
    }
}
