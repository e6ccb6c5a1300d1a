import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import simplebt.metainfo.TorrentBuilder;

/** Writes N small files (64 KiB, 16 KiB pieces) into DIR/data and their torrents into DIR/torrents. */
public class MakeTorrents {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int n = Integer.parseInt(args[1]);
        Files.createDirectories(dir.resolve("data"));
        Files.createDirectories(dir.resolve("torrents"));
        Random r = new Random(1);
        for (int i = 0; i < n; i++) {
            byte[] b = new byte[65536];
            r.nextBytes(b);
            Path f = dir.resolve("data/f" + i + ".bin");
            Files.write(f, b);
            Files.write(dir.resolve("torrents/f" + i + ".torrent"), new TorrentBuilder(f).pieceLength(16384).build(x -> { }));
        }
    }
}
