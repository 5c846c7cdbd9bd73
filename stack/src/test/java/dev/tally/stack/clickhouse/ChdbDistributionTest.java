package dev.tally.stack.clickhouse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.tally.stack.StackException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChdbDistributionTest
{
    @Test
    void missingNpmIsOneLineSayingWhatToDo(@TempDir final Path dir)
    {
        assertThatThrownBy(() -> ChdbDistribution.ensure(dir.resolve("cache"), dir.resolve("no-npm").toString()))
            .isInstanceOf(StackException.class)
            .hasMessageContaining("npm")
            .hasMessageContaining("--clickhouse-url")
            .hasMessageNotContaining("\n");
    }

    @Test
    void tarballWithWrongChecksumIsRejectedAndNothingIsCached(@TempDir final Path dir) throws IOException
    {
        final Path fakeNpm = dir.resolve("npm");
        Files.writeString(fakeNpm, "#!/bin/sh\necho not a tarball > chdb-lib-linux-x64-gnu-26.5.3.tgz\n");
        Files.setPosixFilePermissions(fakeNpm, PosixFilePermissions.fromString("rwx------"));
        final Path cache = dir.resolve("cache");
        assertThatThrownBy(() -> ChdbDistribution.ensure(cache, fakeNpm.toString()))
            .isInstanceOf(StackException.class)
            .hasMessageContaining("SHA-256")
            .hasMessageNotContaining("\n");
        assertThat(cache.resolve("libchdb.so")).doesNotExist();
    }

    @Test
    void failedDownloadQuotesNpm(@TempDir final Path dir) throws IOException
    {
        final Path fakeNpm = dir.resolve("npm");
        Files.writeString(fakeNpm, "#!/bin/sh\necho 'npm error code E404' >&2\nexit 1\n");
        Files.setPosixFilePermissions(fakeNpm, PosixFilePermissions.fromString("rwx------"));
        assertThatThrownBy(() -> ChdbDistribution.ensure(dir.resolve("cache"), fakeNpm.toString()))
            .isInstanceOf(StackException.class)
            .hasMessageContaining("E404")
            .hasMessageContaining("--clickhouse-url");
    }

    @Test
    void cachedEngineIsReusedWithoutNpm()
    {
        final Path lib = ChdbDistribution.ensure();
        assertThat(lib).isRegularFile().hasFileName("libchdb.so");
        assertThat(ChdbDistribution.ensure(lib.getParent(), "/nonexistent/npm")).isEqualTo(lib);
    }
}
