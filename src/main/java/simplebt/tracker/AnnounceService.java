package simplebt.tracker;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

import simplebt.bencode.BDict;
import simplebt.bencode.BString;
import simplebt.bencode.BValue;
import simplebt.bencode.BencodeEncoder;
import simplebt.metainfo.InfoHash;

/**
 * The tracker's BitTorrent logic without HTTP: who may announce, what a swarm becomes, what
 * the reply says; and scrape (BEP 48). The HTTP handlers only parse and write bytes.
 */
final class AnnounceService {
    static final int MAX_SCRAPE_HASHES = 100;
    private final TrackerConfig config;
    private final Swarms swarms;
    private final TorrentRegistry registry;
    private final Accounts accounts;
    private final LongSupplier clockMillis;
    private final SeenCompletions seenCompletions = new SeenCompletions();

    AnnounceService(TrackerConfig config, Swarms swarms, TorrentRegistry registry, Accounts accounts,
                    LongSupplier clockMillis) {
        this.config = config;
        this.swarms = swarms;
        this.registry = registry;
        this.accounts = accounts;
        this.clockMillis = clockMillis;
    }

    AnnounceReply announce(AnnounceRequest r) throws BadRequest {
        Optional<Account> account = admit(r.passkey());
        InfoHash hash = r.infoHash();
        boolean registered = registry.contains(hash);
        if (!config.open() && !registered) {
            throw new BadRequest("torrent not registered with this tracker: upload it first");
        }
        long now = clockMillis.getAsLong();
        PeerOwner owner = account.map(a -> PeerOwner.ofAccount(a.passkey())).orElseGet(() -> PeerOwner.ofAddress(r.ip()));
        TrackedSwarm.Outcome outcome = swarms.announce(hash, r, owner, now, now - config.expiryMillis(),
                config.sweepPeriodMillis(), ThreadLocalRandom.current());
        if (outcome.newlyCompleted()) {
            countCompletion(r, account, registered);
        }
        boolean member = account.isPresent();
        Optional<byte[]> secret = member && registered ? Optional.of(registry.secret(hash)) : Optional.empty();
        return new AnnounceReply(config.intervalSeconds(), config.minIntervalSeconds(), outcome.complete(),
                outcome.incomplete(), outcome.peers(), r.compact(), r.noPeerId(), secret);
    }

    /**
     * Once per user and torrent with a passkey (fresh peer ids count nothing more); without
     * one, once per address and key as far as {@link SeenCompletions} remembers. In memory
     * only: the registry writes counts to disk in batches.
     */
    private void countCompletion(AnnounceRequest r, Optional<Account> account, boolean registered) {
        InfoHash hash = r.infoHash();
        if (registered && account.isPresent()) {
            registry.addCompleted(hash, account.get().username());
        } else if (seenCompletions.firstTime(hash, r.ip(), r.key())) {
            if (registered) {
                registry.addCompleted(hash, null);
            } else {
                swarms.addCompleted(hash);
            }
        }
    }

    /** BEP 48: a {@code files} dict keyed by raw info hash, for the torrents we know. */
    byte[] scrape(List<byte[]> hashes, Optional<String> passkey) throws BadRequest {
        TreeMap<BString, BValue> files = new TreeMap<>();
        for (Optional<ScrapeCounts> known : scrapeCounts(hashes, passkey)) {
            // Keys are the raw 20-byte hashes, not text.
            known.ifPresent(c -> files.put(new BString(c.infoHash().bytes()), BDict.builder()
                    .put("complete", c.complete())
                    .put("incomplete", c.incomplete())
                    .put("downloaded", c.downloaded())
                    .build()));
        }
        return BencodeEncoder.encode(BDict.builder().put("files", new BDict(files)).build());
    }

    /** One torrent's scrape counts; {@code downloaded} is BEP 48's completed count. */
    record ScrapeCounts(InfoHash infoHash, int complete, int incomplete, long downloaded) {
    }

    /** Counts per requested hash, in order; empty for torrents we do not know (HTTP skips them, UDP sends zeros). */
    List<Optional<ScrapeCounts>> scrapeCounts(List<byte[]> hashes, Optional<String> passkey) throws BadRequest {
        admit(passkey);
        if (hashes.isEmpty()) {
            throw new BadRequest("scrape needs at least one info_hash (full scrape is not offered)");
        }
        if (hashes.size() > MAX_SCRAPE_HASHES) {
            throw new BadRequest("at most " + MAX_SCRAPE_HASHES + " info_hash values per scrape");
        }
        long now = clockMillis.getAsLong();
        List<Optional<ScrapeCounts>> out = new ArrayList<>(hashes.size());
        for (byte[] raw : hashes) {
            if (raw.length != InfoHash.LENGTH) {
                throw new BadRequest("info_hash must be 20 bytes, got " + raw.length);
            }
            InfoHash hash = new InfoHash(raw);
            boolean registered = registry.contains(hash);
            if (!registered && (!config.open() || !swarms.contains(hash))) {
                out.add(Optional.empty());
                continue;
            }
            swarms.expireIfDue(hash, now - config.expiryMillis(), now, config.sweepPeriodMillis());
            TrackedSwarm.Counts c = swarms.counts(hash);
            long downloaded = registered ? registry.get(hash).map(TorrentEntry::completed).orElse(0L) : c.completed();
            out.add(Optional.of(new ScrapeCounts(hash, c.complete(), c.incomplete(), downloaded)));
        }
        return out;
    }

    /** Private mode needs a known passkey; returns the caller's account when it gave a valid one. */
    private Optional<Account> admit(Optional<String> passkey) throws BadRequest {
        Optional<Account> member = passkey.flatMap(accounts::byPasskey);
        if (!config.open() && member.isEmpty()) {
            throw new BadRequest(passkey.isEmpty()
                    ? "this is a private tracker: use the announce URL with your passkey (download the .torrent from the tracker)"
                    : "unknown passkey");
        }
        return member;
    }

    /** Periodic sweep of peers that stopped announcing. */
    int expireAll() {
        long now = clockMillis.getAsLong();
        return swarms.expireAll(now - config.expiryMillis(), now);
    }

    /** Seeders and leechers of one torrent right now, for the /api listing. */
    TrackedSwarm.Counts counts(InfoHash hash) {
        long now = clockMillis.getAsLong();
        swarms.expireIfDue(hash, now - config.expiryMillis(), now, config.sweepPeriodMillis());
        return swarms.counts(hash);
    }
}
