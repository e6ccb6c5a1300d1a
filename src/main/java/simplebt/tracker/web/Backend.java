package simplebt.tracker.web;

import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

import com.sun.net.httpserver.HttpExchange;

/**
 * What the web site needs from the tracker. The tracker implements it over the same services
 * its JSON API uses (accounts, login throttle, sign-up limiter, torrent registry, swarms), so
 * the site is held to the same rules and limits as the API.
 */
public interface Backend {
    /** An account as the site shows it. */
    record Member(String username, String passkey, long created, boolean admin, boolean disabled) {
    }

    /** One row of the torrent list: what was uploaded and the live swarm counts. */
    record Torrent(String infoHash, String name, long size, int fileCount, String uploader, long uploaded,
                   long seeders, long leechers, long completed) {
    }

    /** A file inside a torrent, path joined with '/'. */
    record FileRow(String path, long length) {
    }

    /** A torrent's details page: the row plus what its info dictionary says. */
    record Details(Torrent torrent, int pieceLength, int pieceCount, boolean isPrivate, List<FileRow> files) {
    }

    /** {@code --open}: everyone may see the list; otherwise members only. */
    boolean openMode();

    boolean signupOpen();

    /** Creates an account under the API's rules and its per-address sign-up limit. */
    Member signup(String username, String password, InetAddress from) throws SiteException, IOException;

    /** The account if the password is right, after the API's login throttle. */
    Optional<Member> login(String username, String password, InetAddress from) throws SiteException;

    /** An enabled account. */
    Optional<Member> member(String username);

    /** Every account, enabled or not, oldest first. */
    List<Member> members();

    List<Torrent> torrents();

    int torrentCount();

    Optional<Torrent> torrent(String infoHash);

    Optional<Details> details(String infoHash) throws IOException;

    Torrent upload(byte[] torrentFile, String username) throws SiteException, IOException;

    /** The stored .torrent with its announce URL set to {@code announceUrl}. */
    byte[] stampedTorrent(String infoHash, String announceUrl) throws SiteException, IOException;

    /** The member's announce URL on the host the request came in by (as the API gives it). */
    String announceUrl(HttpExchange exchange, String passkey);

    Member regeneratePasskey(String username) throws SiteException, IOException;

    /** Checks the old password (through the login throttle), then sets the new one. */
    void changePassword(String username, String oldPassword, String newPassword, InetAddress from)
            throws SiteException, IOException, InterruptedException;

    /** Disabling also ends the account's API tokens. */
    void setDisabled(String username, boolean disabled) throws SiteException, IOException;

    /** Deletes the account and ends its API tokens; its uploads stay. */
    void deleteMember(String username) throws SiteException, IOException;

    void deleteTorrent(String infoHash) throws SiteException, IOException;
}
