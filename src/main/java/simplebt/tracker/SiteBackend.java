package simplebt.tracker;

import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import com.sun.net.httpserver.HttpExchange;

import simplebt.metainfo.FileEntry;
import simplebt.metainfo.InfoHash;
import simplebt.metainfo.Metainfo;
import simplebt.metainfo.MetainfoException;
import simplebt.tracker.web.Backend;
import simplebt.tracker.web.SiteException;

/**
 * The web site's view of the tracker: the very services (and so the limits) of the JSON API,
 * with errors turned into {@link SiteException}s. Holds no state of its own.
 */
final class SiteBackend implements Backend {
    private final TrackerConfig config;
    private final Accounts accounts;
    private final Sessions apiSessions;
    private final TorrentRegistry registry;
    private final AnnounceService announces;
    private final SignupLimiter signupLimiter;

    SiteBackend(TrackerConfig config, Accounts accounts, Sessions apiSessions, TorrentRegistry registry,
            AnnounceService announces, SignupLimiter signupLimiter) throws IOException {
        this.config = config;
        this.accounts = accounts;
        this.apiSessions = apiSessions;
        this.registry = registry;
        this.announces = announces;
        this.signupLimiter = signupLimiter;
        // A data dir from before the admin flag: its oldest account becomes the admin.
        List<Account> all = accounts.all();
        if (!all.isEmpty() && all.stream().noneMatch(Account::admin)) {
            try {
                accounts.makeAdmin(all.get(0).username());
            } catch (ApiException e) {
                throw new IOException("cannot mark the first account as admin: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public boolean openMode() {
        return config.open();
    }

    @Override
    public boolean signupOpen() {
        return config.signupOpen();
    }

    @Override
    public Member signup(String username, String password, InetAddress from) throws SiteException, IOException {
        if (!config.signupOpen()) {
            throw new SiteException(403, "sign-up is closed on this tracker");
        }
        try {
            // As /api/signup: only a well-formed sign-up draws on the address's allowance.
            Accounts.checkUsername(username);
            Accounts.checkPassword(username, password);
            long wait = signupLimiter.take(from);
            if (wait > 0) {
                throw new SiteException(429, "too many sign-ups from this address, try again in " + wait + " s");
            }
            return member(accounts.signup(username, password));
        } catch (ApiException e) {
            throw site(e);
        }
    }

    @Override
    public Optional<Member> login(String username, String password, InetAddress from) throws SiteException {
        try {
            return accounts.login(username, password, from.getHostAddress()).map(this::member);
        } catch (ApiException e) {
            throw site(e); // 429/503 from the login throttle or the hashing gate
        }
    }

    @Override
    public Optional<Member> member(String username) {
        return accounts.byName(username).map(this::member);
    }

    @Override
    public List<Member> members() {
        return accounts.all().stream().map(this::member).toList();
    }

    @Override
    public List<Torrent> torrents() {
        return registry.list().stream().map(this::torrent).toList();
    }

    @Override
    public int torrentCount() {
        return registry.count();
    }

    @Override
    public Optional<Torrent> torrent(String infoHash) {
        return hash(infoHash).flatMap(registry::get).map(this::torrent);
    }

    @Override
    public Optional<Details> details(String infoHash) throws IOException {
        Optional<Torrent> t = torrent(infoHash);
        if (t.isEmpty()) {
            return Optional.empty();
        }
        Metainfo meta = stored(t.get().infoHash());
        List<FileRow> files = new ArrayList<>();
        for (FileEntry f : meta.info().files()) {
            String path = meta.info().multiFile() ? String.join("/", f.path()) : meta.info().name();
            files.add(new FileRow(path, f.length()));
        }
        return Optional.of(new Details(t.get(), meta.info().pieceLength(), meta.info().pieceCount(),
                meta.info().isPrivate(), files));
    }

    @Override
    public Torrent upload(byte[] torrentFile, String username) throws SiteException, IOException {
        try {
            Metainfo meta = Metainfo.parse(torrentFile);
            return torrent(registry.register(meta, username));
        } catch (MetainfoException e) {
            throw new SiteException(400, "not a valid .torrent: " + e.getMessage());
        } catch (ApiException e) {
            throw site(e);
        }
    }

    @Override
    public byte[] stampedTorrent(String infoHash, String announceUrl) throws SiteException, IOException {
        Torrent t = torrent(infoHash).orElseThrow(() -> new SiteException(404, "no such torrent"));
        return stored(t.infoHash()).withAnnounce(announceUrl);
    }

    @Override
    public String announceUrl(HttpExchange exchange, String passkey) {
        return TorrentApi.announceUrl(exchange, passkey);
    }

    @Override
    public Member regeneratePasskey(String username) throws SiteException, IOException {
        try {
            return member(accounts.regeneratePasskey(username));
        } catch (ApiException e) {
            throw site(e);
        }
    }

    @Override
    public void changePassword(String username, String oldPassword, String newPassword, InetAddress from)
            throws SiteException, IOException, InterruptedException {
        if (login(username, oldPassword, from).isEmpty()) {
            throw new SiteException(403, "the current password is wrong");
        }
        try {
            accounts.setPassword(username, newPassword);
        } catch (ApiException e) {
            throw site(e);
        }
    }

    @Override
    public void setDisabled(String username, boolean disabled) throws SiteException, IOException {
        try {
            accounts.setDisabled(username, disabled);
            if (disabled) {
                apiSessions.revokeUser(username);
            }
        } catch (ApiException e) {
            throw site(e);
        }
    }

    @Override
    public void deleteMember(String username) throws SiteException, IOException {
        try {
            accounts.delete(username);
            apiSessions.revokeUser(username);
        } catch (ApiException e) {
            throw site(e);
        }
    }

    @Override
    public void deleteTorrent(String infoHash) throws SiteException, IOException {
        InfoHash hash = hash(infoHash).orElseThrow(() -> new SiteException(404, "no such torrent"));
        if (!registry.remove(hash)) {
            throw new SiteException(404, "no such torrent");
        }
    }

    private Metainfo stored(String hex) throws IOException {
        try {
            return Metainfo.parse(registry.torrentFile(InfoHash.fromHex(hex)));
        } catch (MetainfoException bad) {
            throw new IOException("stored torrent " + hex + " no longer parses: " + bad.getMessage(), bad);
        }
    }

    private Member member(Account a) {
        return new Member(a.username(), a.passkey(), a.created(), a.admin(), a.disabled());
    }


    private Torrent torrent(TorrentEntry e) {
        TrackedSwarm.Counts c = announces.counts(InfoHash.fromHex(e.infoHash()));
        return new Torrent(e.infoHash(), e.name(), e.size(), e.fileCount(), e.uploader(), e.uploaded(),
                c.complete(), c.incomplete(), e.completed());
    }

    private static Optional<InfoHash> hash(String hex) {
        if (hex == null || !hex.matches("[0-9a-fA-F]{40}")) {
            return Optional.empty();
        }
        return Optional.of(InfoHash.fromHex(hex.toLowerCase(Locale.ROOT)));
    }

    private static SiteException site(ApiException e) {
        return new SiteException(e.status(), e.getMessage());
    }
}
