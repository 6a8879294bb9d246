package dev.rotor.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP forwarder on loopback that a test controls, to take a database away from a running server and give it
 * back: {@link #refuse()} resets every connection and refuses new ones (the database host is down),
 * {@link #blackhole()} keeps connections open but forwards nothing (packets dropped on the way), {@link #restore()}
 * forwards again (after closing what the cut left behind).
 */
public final class TcpProxy implements AutoCloseable {
    private enum Mode { FORWARD, REFUSE, BLACKHOLE }

    private final ServerSocket listener;
    private final InetSocketAddress upstream;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile Mode mode = Mode.FORWARD;

    public TcpProxy(String upstreamHost, int upstreamPort) throws IOException {
        this.upstream = new InetSocketAddress(upstreamHost, upstreamPort);
        this.listener = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon(true).name("tcp-proxy").start(this::acceptLoop);
    }

    public int port() {
        return listener.getLocalPort();
    }

    public void refuse() {
        mode = Mode.REFUSE;
        closeAll();
    }

    public void blackhole() {
        mode = Mode.BLACKHOLE;
    }

    public void restore() {
        closeAll();
        mode = Mode.FORWARD;
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                if (mode == Mode.REFUSE) {
                    client.setSoLinger(true, 0); // a reset, as from a host whose database is down
                    client.close();
                    continue;
                }
                open.add(client);
                if (mode == Mode.BLACKHOLE) continue; // accepted, never answered
                Socket server = new Socket();
                server.connect(upstream, 2000);
                open.add(server);
                Thread.ofVirtual().start(() -> pump(client, server));
                Thread.ofVirtual().start(() -> pump(server, client));
            } catch (IOException e) {
                // the listener closed, or one connection failed: the others go on
            }
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                while (mode == Mode.BLACKHOLE && !from.isClosed()) Thread.sleep(50); // held, like a dropped packet
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // one side closed
        } finally {
            close(from);
            close(to);
        }
    }

    private void closeAll() {
        for (Socket s : open) close(s);
        open.clear();
    }

    private static void close(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        closeAll();
        close(listener);
    }

    private static void close(ServerSocket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
