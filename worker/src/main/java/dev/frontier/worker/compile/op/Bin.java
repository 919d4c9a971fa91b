package dev.frontier.worker.compile.op;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Little helpers for the binary plan section of an artifact (big-endian, length-prefixed arrays). */
public final class Bin {
    private static final int MAX_ARRAY = 1 << 28;

    private Bin() {
    }

    public static final class Out {
        final DataOutputStream d;

        public Out(DataOutputStream d) {
            this.d = d;
        }

        public Out i(int v) {
            try {
                d.writeInt(v);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        public Out f(float v) {
            return i(Float.floatToRawIntBits(v));
        }

        public Out s(String v) {
            try {
                d.writeUTF(v);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        public Out ints(int[] a) {
            i(a.length);
            for (int v : a) {
                i(v);
            }
            return this;
        }

        public Out floats(float[] a) {
            i(a.length);
            for (float v : a) {
                f(v);
            }
            return this;
        }

        public Out bytes(byte[] a) {
            i(a.length);
            try {
                d.write(a);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }
    }

    public static final class In {
        final DataInputStream d;

        public In(DataInputStream d) {
            this.d = d;
        }

        public int i() {
            try {
                return d.readInt();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public float f() {
            return Float.intBitsToFloat(i());
        }

        public String s() {
            try {
                return d.readUTF();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private int len() {
            int n = i();
            if (n < 0 || n > MAX_ARRAY) {
                throw new IllegalArgumentException("array length " + n + " out of range");
            }
            return n;
        }

        public int[] ints() {
            int[] a = new int[len()];
            for (int k = 0; k < a.length; k++) {
                a[k] = i();
            }
            return a;
        }

        public float[] floats() {
            float[] a = new float[len()];
            for (int k = 0; k < a.length; k++) {
                a[k] = f();
            }
            return a;
        }

        public byte[] bytes() {
            byte[] a = new byte[len()];
            try {
                d.readFully(a);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return a;
        }
    }
}
