package dev.frontier.worker.compile;

import dev.frontier.worker.model.FileBytes;
import dev.frontier.worker.compile.op.Bin;
import dev.frontier.worker.compile.op.Op;
import dev.frontier.worker.model.InvalidModelException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

import tools.jackson.databind.json.JsonMapper;

/**
 * The deployable compiled model ({@code .fart}): magic {@code FART}, version, a JSON header (metadata:
 * source model sha256, compression summary, per-layer formats; readable without the runtime), the
 * binary plan (layouts, buffer plan, ops with their packed weights), CRC32. The runtime needs nothing
 * else: {@link #fromBytes} gives the exact plan that is evaluated and timed.
 */
public final class Artifact {
    /**
     * 2 added the int8 convolution ops (conv-int8-dense, conv-int8-sparse, conv-int8-direct); every other
     * op is encoded as in 1, so version 1 files still load. A runtime that reads only 1 rejects 2 with a clear message.
     */
    public static final int VERSION = 2;
    static final int OLDEST_READABLE = 1;
    public static final String EXTENSION = ".fart";
    private static final byte[] MAGIC = "FART".getBytes(StandardCharsets.US_ASCII);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Artifact() {
    }

    public static byte[] toBytes(Plan plan) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        Bin.Out o = new Bin.Out(new DataOutputStream(body));
        o.s(plan.input()).s(plan.output());
        o.i(plan.layouts().size());
        plan.layouts().forEach((k, l) -> o.s(k).i(l.c()).i(l.h()).i(l.w()).i(l.pad()).i(plan.buffers().get(k)));
        o.ints(plan.bufferSizes());
        o.i(plan.ops().size());
        for (Op op : plan.ops()) {
            op.write(o);
        }
        byte[] planBytes = body.toByteArray();
        byte[] header = JSON.writeValueAsBytes(header(plan));
        ByteBuffer out = ByteBuffer.allocate(MAGIC.length + 12 + header.length + planBytes.length + 8);
        out.put(MAGIC).putInt(VERSION).putInt(header.length).put(header).putInt(planBytes.length).put(planBytes);
        CRC32 crc = new CRC32();
        crc.update(out.array(), 0, out.position());
        out.putLong(crc.getValue());
        return out.array();
    }

    private static Map<String, Object> header(Plan plan) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("format", "frontier-artifact");
        h.put("version", VERSION);
        h.put("metadata", plan.metadata());
        h.put("input", plan.inputLayout().shape().toString());
        h.put("output", plan.outputLayout().shape().toString());
        h.put("macs", plan.macs());
        h.put("arenaBytes", 4 * plan.arenaFloats());
        List<Map<String, Object>> layers = new ArrayList<>();
        for (Op op : plan.ops()) {
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("name", op.name());
            l.put("format", op.format());
            l.put("activation", op.activation().name().toLowerCase(java.util.Locale.ROOT));
            l.put("macs", op.macs());
            l.put("variant", op.variant());
            layers.add(l);
        }
        h.put("layers", layers);
        return h;
    }

    /** The JSON header alone (metadata and layer summary), without decoding the plan. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> readHeader(byte[] bytes) {
        ByteBuffer in = check(bytes);
        int hl = in.getInt();
        return JSON.readValue(bytes, in.position(), hl, Map.class);
    }

    private static ByteBuffer check(byte[] bytes) {
        if (bytes.length < MAGIC.length + 20) {
            throw new InvalidModelException("not a Frontier artifact: only " + bytes.length + " bytes");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes[i] != MAGIC[i]) {
                throw new InvalidModelException("not a Frontier artifact (magic bytes are not FART)");
            }
        }
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - 8);
        if (crc.getValue() != ByteBuffer.wrap(bytes, bytes.length - 8, 8).getLong()) {
            throw new InvalidModelException("artifact is truncated or corrupted (checksum mismatch)");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        in.position(MAGIC.length);
        int version = in.getInt();
        if (version < OLDEST_READABLE || version > VERSION) {
            throw new InvalidModelException("artifact version " + version + " is not supported (this runtime reads "
                    + OLDEST_READABLE + " to " + VERSION
                    + "; recompile the model with this runtime's compile command)");
        }
        return in;
    }

    public static Plan fromBytes(byte[] bytes) {
        ByteBuffer in = check(bytes);
        try {
            int hl = in.getInt();
            @SuppressWarnings("unchecked")
            Map<String, Object> header = JSON.readValue(bytes, in.position(), hl, Map.class);
            in.position(in.position() + hl);
            int pl = in.getInt();
            Bin.In b = new Bin.In(new DataInputStream(new ByteArrayInputStream(bytes, in.position(), pl)));
            String input = b.s();
            String output = b.s();
            int nl = b.i();
            Map<String, Layout> layouts = new LinkedHashMap<>();
            Map<String, Integer> buffers = new LinkedHashMap<>();
            for (int i = 0; i < nl; i++) {
                String name = b.s();
                layouts.put(name, new Layout(b.i(), b.i(), b.i(), b.i()));
                buffers.put(name, b.i());
            }
            int[] sizes = b.ints();
            int n = b.i();
            List<Op> ops = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                ops.add(Op.read(b));
            }
            @SuppressWarnings("unchecked")
            Map<String, String> meta = (Map<String, String>) header.getOrDefault("metadata", Map.of());
            return new Plan(ops, layouts, buffers, sizes, input, output, meta);
        } catch (InvalidModelException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new InvalidModelException("artifact is malformed: " + e.getMessage());
        }
    }

    public static void write(Plan plan, Path file) {
        FileBytes.write(file, toBytes(plan), "artifact");
    }

    public static Plan read(Path file) {
        try {
            return fromBytes(FileBytes.read(file, "artifact"));
        } catch (InvalidModelException e) {
            throw new InvalidModelException(file + ": " + e.getMessage());
        }
    }

    public static String sha256(byte[] bytes) {
        return FileBytes.sha256(bytes);
    }
}
