package dev.frontier.worker.model;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

import tools.jackson.databind.json.JsonMapper;

/**
 * The versioned model file ({@code .frir}): magic {@code FRIR}, format version, a JSON header
 * describing nodes and tensors, the tensors' bytes (little-endian), and a CRC32 of everything before
 * it so truncated or corrupted files are rejected instead of half-read. Round-trips exactly.
 */
public final class ModelFile {
    public static final int VERSION = 1;
    private static final byte[] MAGIC = "FRIR".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_HEADER = 16 << 20;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ModelFile() {
    }

    public static void write(Graph g, Path file) {
        FileBytes.write(file, toBytes(g), "model");
    }

    public static Graph read(Path file) {
        byte[] bytes = FileBytes.read(file, "model");
        try {
            return fromBytes(bytes);
        } catch (InvalidModelException e) {
            throw new InvalidModelException(file + ": " + e.getMessage());
        }
    }

    public static byte[] toBytes(Graph g) {
        ByteArrayOutputStream blob = new ByteArrayOutputStream();
        List<Map<String, Object>> tensors = new ArrayList<>();
        for (Map.Entry<String, Tensor> p : g.params().entrySet()) {
            float[] d = p.getValue().data();
            ByteBuffer bb = ByteBuffer.allocate(d.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            bb.asFloatBuffer().put(d);
            tensors.add(entry(p.getKey(), "float", p.getValue().shape(), blob.size(), bb.array().length));
            blob.writeBytes(bb.array());
        }
        for (Map.Entry<String, Mask> m : g.masks().entrySet()) {
            boolean[] k = m.getValue().keep();
            byte[] b = new byte[k.length];
            for (int i = 0; i < k.length; i++) {
                b[i] = (byte) (k[i] ? 1 : 0);
            }
            tensors.add(entry(m.getKey(), "mask", m.getValue().shape(), blob.size(), b.length));
            blob.writeBytes(b);
        }
        for (Map.Entry<String, QuantizedTensor> q : g.quantized().entrySet()) {
            QuantizedTensor t = q.getValue();
            ByteBuffer bb = ByteBuffer.allocate(t.values().length + 5 * t.rows()).order(ByteOrder.LITTLE_ENDIAN);
            bb.put(t.values());
            for (float s : t.scales()) {
                bb.putFloat(s);
            }
            for (boolean p2 : t.rowPowerOfTwo()) {
                bb.put((byte) (p2 ? 1 : 0));
            }
            Map<String, Object> e = entry(q.getKey(), "quant", t.shape(), blob.size(), bb.capacity());
            e.put("bits", t.bits());
            e.put("scheme", t.scheme().wireName());
            tensors.add(e);
            blob.writeBytes(bb.array());
        }
        List<Map<String, Object>> nodes = new ArrayList<>();
        for (Node n : g.nodes()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("name", n.name());
            e.put("op", n.layer().op());
            e.put("inputs", n.inputs());
            e.put("attrs", LayerCodec.attributes(n.layer()));
            nodes.add(e);
        }
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("version", VERSION);
        header.put("metadata", g.metadata());
        header.put("nodes", nodes);
        header.put("tensors", tensors);
        byte[] h = JSON.writeValueAsBytes(header);

        ByteBuffer out = ByteBuffer.allocate(MAGIC.length + 8 + h.length + blob.size() + 8).order(ByteOrder.BIG_ENDIAN);
        out.put(MAGIC).putInt(VERSION).putInt(h.length).put(h).put(blob.toByteArray());
        CRC32 crc = new CRC32();
        crc.update(out.array(), 0, out.position());
        out.putLong(crc.getValue());
        return out.array();
    }

    private static Map<String, Object> entry(String name, String kind, int[] shape, int offset, int length) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("name", name);
        e.put("kind", kind);
        e.put("shape", shape);
        e.put("offset", offset);
        e.put("length", length);
        return e;
    }

    @SuppressWarnings("unchecked")
    public static Graph fromBytes(byte[] bytes) {
        if (bytes.length < MAGIC.length + 16) {
            throw new InvalidModelException("not a Frontier model file: only " + bytes.length + " bytes");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes[i] != MAGIC[i]) {
                throw new InvalidModelException("not a Frontier model file (magic bytes are not FRIR)");
            }
        }
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
        in.position(MAGIC.length);
        int version = in.getInt();
        if (version != VERSION) {
            throw new InvalidModelException("model file version " + version + " is not supported (this build reads "
                    + VERSION + ")");
        }
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - 8);
        if (crc.getValue() != ByteBuffer.wrap(bytes, bytes.length - 8, 8).getLong()) {
            throw new InvalidModelException("model file is truncated or corrupted (checksum mismatch)");
        }
        int headerLength = in.getInt();
        if (headerLength <= 0 || headerLength > MAX_HEADER || headerLength > bytes.length - in.position() - 8) {
            throw new InvalidModelException("model file header length " + headerLength + " is invalid");
        }
        int blobStart = in.position() + headerLength;
        int blobLength = bytes.length - 8 - blobStart;
        Map<String, Object> header;
        try {
            header = JSON.readValue(bytes, in.position(), headerLength, Map.class);
        } catch (RuntimeException e) {
            throw new InvalidModelException("model file header is not valid JSON: " + e.getMessage());
        }
        try {
            List<Node> nodes = new ArrayList<>();
            for (Map<String, Object> n : (List<Map<String, Object>>) header.get("nodes")) {
                Layer layer = LayerCodec.layer((String) n.get("op"), (Map<String, Object>) n.get("attrs"));
                nodes.add(new Node((String) n.get("name"), layer, (List<String>) n.get("inputs")));
            }
            Map<String, Tensor> params = new LinkedHashMap<>();
            Map<String, Mask> masks = new LinkedHashMap<>();
            Map<String, QuantizedTensor> quantized = new LinkedHashMap<>();
            for (Map<String, Object> t : (List<Map<String, Object>>) header.get("tensors")) {
                String name = (String) t.get("name");
                int[] shape = ((List<Number>) t.get("shape")).stream().mapToInt(Number::intValue).toArray();
                int offset = ((Number) t.get("offset")).intValue();
                int length = ((Number) t.get("length")).intValue();
                if (offset < 0 || length < 0 || (long) offset + length > blobLength) {
                    throw new InvalidModelException("tensor " + name + " lies outside the file");
                }
                ByteBuffer b = ByteBuffer.wrap(bytes, blobStart + offset, length).slice().order(ByteOrder.LITTLE_ENDIAN);
                int n = Tensor.numel(shape);
                switch ((String) t.get("kind")) {
                    case "float" -> {
                        expect(name, length, 4L * n);
                        float[] d = new float[n];
                        b.asFloatBuffer().get(d);
                        params.put(name, new Tensor(shape, d));
                    }
                    case "mask" -> {
                        expect(name, length, n);
                        boolean[] k = new boolean[n];
                        for (int i = 0; i < n; i++) {
                            k[i] = b.get(i) != 0;
                        }
                        masks.put(name, new Mask(shape, k));
                    }
                    case "quant" -> {
                        int rows = shape[0];
                        expect(name, length, n + 5L * rows);
                        byte[] v = new byte[n];
                        b.get(v);
                        float[] scales = new float[rows];
                        for (int r = 0; r < rows; r++) {
                            scales[r] = b.getFloat();
                        }
                        boolean[] p2 = new boolean[rows];
                        for (int r = 0; r < rows; r++) {
                            p2[r] = b.get() != 0;
                        }
                        quantized.put(name, new QuantizedTensor(((Number) t.get("bits")).intValue(),
                                QuantScheme.parse((String) t.get("scheme")), shape, v, scales, p2));
                    }
                    default -> throw new InvalidModelException("tensor " + name + " has unknown kind " + t.get("kind"));
                }
            }
            Map<String, String> metadata = (Map<String, String>) header.getOrDefault("metadata", Map.of());
            return new Graph(nodes, params, masks, quantized, metadata);
        } catch (InvalidModelException e) {
            throw e;
        } catch (IllegalArgumentException | ClassCastException | NullPointerException e) {
            throw new InvalidModelException("model file is malformed: " + e.getMessage());
        }
    }

    private static void expect(String name, int actual, long expected) {
        if (actual != expected) {
            throw new InvalidModelException("tensor " + name + " has " + actual + " bytes, expected " + expected);
        }
    }
}
