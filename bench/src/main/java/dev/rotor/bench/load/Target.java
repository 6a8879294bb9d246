package dev.rotor.bench.load;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;

/**
 * Where the load goes. Only loopback addresses are accepted: the driver is a benchmark tool for a
 * server on the same machine and must never be pointed at another host by mistake.
 */
record Target(URI baseUri, InetSocketAddress address, String hostHeader, String tokenPath) {

  static Target parse(String url) throws LoadOptions.UsageException {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new LoadOptions.UsageException("bad --url: " + e.getMessage());
    }
    if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
      throw new LoadOptions.UsageException("--url must be http://HOST[:PORT][/prefix], got: " + url);
    }
    InetAddress ip = resolve(uri.getHost());
    if (!ip.isLoopbackAddress()) {
      throw new LoadOptions.UsageException("--url must point at a loopback address, got " + ip.getHostAddress());
    }
    int port = uri.getPort() > 0 ? uri.getPort() : 80;
    String prefix = uri.getRawPath() == null ? "" : uri.getRawPath();
    if (prefix.endsWith("/")) {
      prefix = prefix.substring(0, prefix.length() - 1);
    }
    String hostHeader = uri.getHost().contains(":") ? "[" + uri.getHost() + "]" : uri.getHost();
    if (uri.getPort() > 0) {
      hostHeader += ":" + port;
    }
    return new Target(uri, new InetSocketAddress(ip, port), hostHeader, prefix + "/oauth2/token");
  }

  URI tokenUri() {
    return baseUri.resolve(tokenPath);
  }

  private static InetAddress resolve(String host) throws LoadOptions.UsageException {
    try {
      return InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw new LoadOptions.UsageException("cannot resolve --url host: " + host);
    }
  }
}
