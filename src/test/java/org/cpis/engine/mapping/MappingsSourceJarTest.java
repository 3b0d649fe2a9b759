package org.cpis.engine.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The jar's own dialects, read the way the fat jar is read: through a zip file system. */
class MappingsSourceJarTest {
    @TempDir
    Path dir;

    private URI jarWithDialect() throws Exception {
        Path jar = dir.resolve("engine.jar");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(jar))) {
            zip.putNextEntry(new ZipEntry("mappings/dialects/default.yaml"));
            zip.write("name: default\n".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return URI.create("jar:" + jar.toUri() + "!/mappings/dialects/default.yaml");
    }

    @Test
    void readsTheDialectsAndClosesTheFileSystemItOpened() throws Exception {
        URI uri = jarWithDialect();
        List<MappingsSource.SourceFile> files = MappingsSource.readJar(uri);
        assertThat(files).extracting(MappingsSource.SourceFile::dialectName).containsExactly("default");
        assertThat(files.get(0).text()).isEqualTo("name: default\n");
        // Left open, its index of every jar entry stayed on the heap for the engine's life.
        assertThatThrownBy(() -> FileSystems.getFileSystem(uri)).isInstanceOf(FileSystemNotFoundException.class);
    }

    @Test
    void leavesAFileSystemSomeoneElseOpenedOpen() throws Exception {
        URI uri = jarWithDialect();
        try (FileSystem theirs = FileSystems.newFileSystem(uri, Map.of())) {
            assertThat(MappingsSource.readJar(uri)).hasSize(1);
            assertThat(theirs.isOpen()).isTrue();
        }
    }
}
