package dev.rotor.risk.source;

import dev.rotor.config.Cidr;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes small MaxMind DB (.mmdb) files for tests, per the MaxMind DB File Format Specification 2.0: an IPv6 search tree
 * with 32-bit records (IPv4 networks under ::/96, where MaxMind's reader looks IPv4 addresses up), the 16-byte data
 * separator, the data section, and the metadata. Hand-written because MaxMind publishes no Java writer on Maven
 * Central ({@code com.maxmind.db:maxmind-db-writer} resolves at no version; the maintained writers are Go and Perl);
 * MaxMind's own reader reading these files back is what the tests check against.
 *
 * <p>Values: {@code String}, {@code Double}, {@code Integer}/{@code Long} (written as uint32, or uint64 when larger),
 * {@code Map<String, ?>} and {@code List<?>}. Networks must not overlap.
 */
public final class TestMmdb {
    private final String databaseType;
    private final Map<Cidr, Map<String, ?>> networks = new LinkedHashMap<>();

    private TestMmdb(String databaseType) {
        this.databaseType = databaseType;
    }

    public static TestMmdb of(String databaseType) {
        return new TestMmdb(databaseType);
    }

    public TestMmdb add(String cidr, Map<String, ?> record) {
        networks.put(Cidr.parse(cidr), record);
        return this;
    }

    /** A GeoIP2-City-shaped record; {@code asn} null for none, {@code lat} null for a country-only record. */
    public static Map<String, Object> city(String country, String city, Double lat, Double lon, Long asn) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("country", Map.of("iso_code", country, "names", Map.of("en", country)));
        if (city != null) r.put("city", Map.of("geoname_id", 1L, "names", Map.of("en", city)));
        if (lat != null) r.put("location", Map.of("latitude", lat, "longitude", lon, "accuracy_radius", 20));
        if (asn != null) r.put("traits", Map.of("autonomous_system_number", asn));
        return r;
    }

    private static final class Node {
        final Object[] slot = new Object[2]; // a Node, an Integer data offset, or null
    }

    public Path write(Path file) throws IOException {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        Node root = new Node();
        for (Map.Entry<Cidr, Map<String, ?>> e : networks.entrySet()) {
            int offset = data.size();
            encode(data, e.getValue());
            insert(root, e.getKey(), offset);
        }
        List<Node> order = new ArrayList<>();
        Map<Node, Integer> index = new IdentityHashMap<>();
        Deque<Node> queue = new ArrayDeque<>(List.of(root));
        while (!queue.isEmpty()) {
            Node n = queue.removeFirst();
            index.put(n, order.size());
            order.add(n);
            for (Object s : n.slot) if (s instanceof Node child) queue.addLast(child);
        }
        int nodeCount = order.size();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Node n : order) {
            for (Object s : n.slot) {
                long record = s instanceof Node child ? index.get(child) : s instanceof Integer offset ? nodeCount + 16L + offset : nodeCount;
                uint(out, record, 4);
            }
        }
        out.write(new byte[16]);
        data.writeTo(out);
        out.write(new byte[] {(byte) 0xAB, (byte) 0xCD, (byte) 0xEF});
        out.write("MaxMind.com".getBytes(StandardCharsets.US_ASCII));
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("node_count", (long) nodeCount);
        meta.put("record_size", new Uint16(32));
        meta.put("ip_version", new Uint16(6));
        meta.put("database_type", databaseType);
        meta.put("languages", List.of("en"));
        meta.put("binary_format_major_version", new Uint16(2));
        meta.put("binary_format_minor_version", new Uint16(0));
        meta.put("build_epoch", new Uint64(1_780_000_000L));
        meta.put("description", Map.of("en", "Rotor test database"));
        encode(out, meta);
        Files.write(file, out.toByteArray());
        return file;
    }

    private static void insert(Node root, Cidr cidr, int offset) {
        byte[] bytes = cidr.network();
        int prefix = cidr.prefix();
        byte[] v6 = bytes;
        if (bytes.length == 4) {
            v6 = new byte[16];
            System.arraycopy(bytes, 0, v6, 12, 4);
            prefix += 96;
        }
        Node node = root;
        for (int i = 0; i < prefix; i++) {
            int bit = (v6[i / 8] >> (7 - i % 8)) & 1;
            if (i == prefix - 1) {
                node.slot[bit] = offset;
            } else {
                if (!(node.slot[bit] instanceof Node)) node.slot[bit] = new Node();
                node = (Node) node.slot[bit];
            }
        }
    }

    private record Uint16(int value) {}

    private record Uint64(long value) {}

    private static void encode(ByteArrayOutputStream out, Object value) {
        switch (value) {
            case String s -> {
                byte[] b = s.getBytes(StandardCharsets.UTF_8);
                control(out, 2, b.length);
                out.writeBytes(b);
            }
            case Double d -> {
                control(out, 3, 8);
                uint(out, Double.doubleToLongBits(d), 8);
            }
            case Uint16 u -> unsigned(out, 5, u.value());
            case Uint64 u -> unsigned(out, 9, u.value());
            case Integer i -> unsigned(out, 6, i);
            case Long l -> unsigned(out, l >= 0 && l <= 0xFFFFFFFFL ? 6 : 9, l);
            case Map<?, ?> m -> {
                control(out, 7, m.size());
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    encode(out, (String) e.getKey());
                    encode(out, e.getValue());
                }
            }
            case List<?> list -> {
                control(out, 11, list.size());
                for (Object o : list) encode(out, o);
            }
            default -> throw new IllegalArgumentException("cannot encode " + value.getClass());
        }
    }

    private static void unsigned(ByteArrayOutputStream out, int type, long v) {
        int n = 0;
        for (long x = v; x != 0; x >>>= 8) n++;
        control(out, type, n);
        uint(out, v, n);
    }

    /** The control byte(s): type in the top 3 bits (extended types as 0 plus a byte of type - 7), then the size. */
    private static void control(ByteArrayOutputStream out, int type, int size) {
        int sizeBits;
        byte[] extra;
        if (size < 29) {
            sizeBits = size;
            extra = new byte[0];
        } else if (size < 29 + 256) {
            sizeBits = 29;
            extra = new byte[] {(byte) (size - 29)};
        } else if (size < 285 + 65536) {
            sizeBits = 30;
            int s = size - 285;
            extra = new byte[] {(byte) (s >> 8), (byte) s};
        } else {
            sizeBits = 31;
            int s = size - 65821;
            extra = new byte[] {(byte) (s >> 16), (byte) (s >> 8), (byte) s};
        }
        if (type <= 7) {
            out.write((type << 5) | sizeBits);
        } else {
            out.write(sizeBits);
            out.write(type - 7);
        }
        out.writeBytes(extra);
    }

    private static void uint(ByteArrayOutputStream out, long v, int bytes) {
        for (int i = bytes - 1; i >= 0; i--) out.write((int) (v >>> (8 * i)));
    }
}
