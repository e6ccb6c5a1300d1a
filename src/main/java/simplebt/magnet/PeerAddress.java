package simplebt.magnet;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * An {@code x.pe} peer: {@code ipv4:port}, {@code [ipv6]:port} or {@code host:port}. Literal
 * addresses are parsed without any name lookup; a host name stays unresolved (looked up when dialed).
 */
final class PeerAddress {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,252})");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private PeerAddress() {
    }

    static InetSocketAddress parse(String text) throws MagnetException {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new MagnetException("magnet link peer (x.pe) '" + MagnetLink.shown(text) + "' must be host:port");
        }
        String host = text.substring(0, colon);
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535) {
            throw new MagnetException("magnet link peer (x.pe) '" + MagnetLink.shown(text) + "' has no valid port (1-65535)");
        }
        try {
            if (host.startsWith("[") && host.endsWith("]") && IPV6.matcher(host.substring(1, host.length() - 1)).matches()) {
                return new InetSocketAddress(InetAddress.getByName(host.substring(1, host.length() - 1)), port); // literal: no lookup
            }
            if (IPV4.matcher(host).matches()) {
                for (String octet : host.split("\\.")) {
                    if (Integer.parseInt(octet) > 255) { // else getByName would ask DNS for it
                        throw new UnknownHostException(host);
                    }
                }
                return new InetSocketAddress(InetAddress.getByName(host), port); // literal: no lookup
            }
        } catch (UnknownHostException e) {
            throw new MagnetException("magnet link peer (x.pe) '" + MagnetLink.shown(text) + "' is not a valid address");
        }
        if (HOST.matcher(host).matches()) {
            return InetSocketAddress.createUnresolved(host, port);
        }
        throw new MagnetException("magnet link peer (x.pe) '" + MagnetLink.shown(text) + "' is not a valid address");
    }

    static String format(InetSocketAddress a) {
        String host = a.isUnresolved() ? a.getHostString() : a.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }
}
