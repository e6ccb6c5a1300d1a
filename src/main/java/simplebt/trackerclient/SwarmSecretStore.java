package simplebt.trackerclient;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

import simplebt.log.Log;
import simplebt.metainfo.InfoHash;
import simplebt.storage.AtomicFiles;

/**
 * Swarm secrets ({@code sbt secret}) once our tracker gave them, one file per torrent under
 * {@code <config dir>/swarm-secrets/<info hash>}, so that a restart or a tracker outage does not
 * block secure connections (issue 14). The secret admits its holder to the swarm's secure
 * channel, so the folder is mode 700 and each file 600, like the login token beside it.
 */
public final class SwarmSecretStore {
    /** SwarmKey's bound; our tracker's secrets are 32 bytes. */
    private static final int MAX_SECRET = 1024;

    private final Path dir;

    public SwarmSecretStore(Path configDir) {
        this.dir = configDir.resolve("swarm-secrets");
    }

    public Path fileFor(InfoHash infoHash) {
        return dir.resolve(infoHash.hex());
    }

    /** The saved secret; empty when there is none or the file is unusable (said once, as a warning). */
    public Optional<byte[]> load(InfoHash infoHash) {
        Path file = fileFor(infoHash);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        try {
            byte[] secret = Files.readAllBytes(file);
            if (secret.length == 0 || secret.length > MAX_SECRET) {
                Log.warn("ignoring " + file + ": " + secret.length + " bytes is not a swarm secret");
                return Optional.empty();
            }
            return Optional.of(secret);
        } catch (IOException e) {
            Log.warn("cannot read the saved swarm secret " + file + ": " + e.getMessage());
            return Optional.empty();
        }
    }

    public void save(InfoHash infoHash, byte[] secret) throws IOException {
        Files.createDirectories(dir);
        restrict(dir, "rwx------");
        Path file = fileFor(infoHash);
        // AtomicFiles' temp file is created owner-only and renamed over: no moment of wider access,
        // and a symbolic link planted at the name is replaced, not followed.
        AtomicFiles.write(file, secret);
        restrict(file, "rw-------");
    }

    private static void restrict(Path p, String perms) throws IOException {
        try {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: the user profile's ACLs apply.
        }
    }
}
