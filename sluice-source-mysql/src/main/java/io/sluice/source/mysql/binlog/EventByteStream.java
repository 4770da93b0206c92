package io.sluice.source.mysql.binlog;

import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;

import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;
import java.util.BitSet;

/**
 * The client's {@link ByteArrayInputStream} over one event's bytes in an array: what the client's
 * deserializers read (every method they call is overridden), without its per-byte virtual calls
 * through the socket stream layers ({@code readWithinBlockBoundaries}, {@code BufferedSocketInputStream}).
 * Same results, same block semantics ({@link #enterBlock}: reads stop at the block's end), same
 * exceptions at the end of the data (EOFException) and for malformed packed numbers.
 */
final class EventByteStream extends ByteArrayInputStream {

    private byte[] buf;
    private int start;
    private int end;
    private int pos;
    /** Index where the current block ends, or -1 outside a block. */
    private int blockEnd = -1;
    private int initialBlockLength = -1;
    private int mark;

    EventByteStream(byte[] buf) {
        this(buf, 0, buf.length);
    }

    EventByteStream(byte[] buf, int from, int to) {
        super((java.io.InputStream) null); // every method reading it is overridden
        this.buf = buf;
        this.start = from;
        this.end = to;
        this.pos = from;
        this.mark = from;
    }

    /**
     * This stream over other bytes, as a new one (no block, no mark): one stream per deserializer
     * instead of one per event; nothing keeps the stream once the event is deserialized.
     */
    EventByteStream reset(byte[] bytes, int from, int to) {
        buf = bytes;
        start = from;
        end = to;
        pos = from;
        mark = from;
        blockEnd = -1;
        initialBlockLength = -1;
        return this;
    }

    /** Where reading stops: the block's end or the data's. */
    private int limit() {
        return blockEnd == -1 ? end : Math.min(blockEnd, end);
    }

    private void need(int n) throws EOFException {
        if (n > limit() - pos) {
            throw new EOFException(String.format("Failed to read %d bytes from position %d. Block length: %d. Initial block length: %d.",
                    n, pos - start, blockEnd == -1 ? -1 : blockEnd - pos, initialBlockLength));
        }
    }

    /** Whether the bytes left (up to the block's end) are {@code expected}'s; reads nothing. */
    boolean remainingEquals(byte[] expected) {
        int limit = limit();
        return Arrays.equals(buf, pos, limit, expected, 0, expected.length);
    }

    /** The array the stream reads (an event's bytes stay in it while the event is deserialized). */
    byte[] array() {
        return buf;
    }

    /** The read position as an index into {@link #array()}. */
    int offset() {
        return pos;
    }

    /**
     * When the next bytes (up to the block's end) are {@code array()[from, to)}, reads past them and
     * returns true; otherwise reads nothing.
     */
    boolean skipIfNext(int from, int to) {
        int n = to - from;
        if (n > limit() - pos || !Arrays.equals(buf, from, to, buf, pos, pos + n)) return false;
        pos += n;
        return true;
    }

    /** The type of the event starting at the read position (byte 4 of its v4 header), or -1 when there is none. */
    int peekEventType() {
        return limit() - pos > 4 ? buf[pos + 4] & 0xFF : -1;
    }

    /** The {@code n} bytes from the read position as a little-endian number (n <= 8, as many as there are); reads nothing. */
    long peekLong(int n) {
        long v = 0;
        for (int i = Math.min(n, limit() - pos) - 1; i >= 0; i--) v = v << 8 | (buf[pos + i] & 0xFF);
        return v;
    }

    @Override
    public int readInteger(int length) throws IOException {
        need(length);
        int result = 0;
        for (int i = 0; i < length; ++i) result |= (buf[pos++] & 0xFF) << (i << 3);
        return result;
    }

    @Override
    public long readLong(int length) throws IOException {
        need(length);
        long result = 0;
        for (int i = 0; i < length; ++i) result |= ((long) (buf[pos++] & 0xFF)) << (i << 3);
        return result;
    }

    @Override
    public String readString(int length) throws IOException {
        return new String(read(length)); // the platform charset, as the client's
    }

    @Override
    public String readLengthEncodedString() throws IOException {
        return readString(readPackedInteger());
    }

    @Override
    public String readZeroTerminatedString() throws IOException {
        int limit = limit();
        int from = pos;
        while (pos < limit && buf[pos] != 0) pos++;
        if (pos == limit) throw new EOFException(String.format("Failed to read next byte from position %d", pos - start));
        String s = new String(Arrays.copyOfRange(buf, from, pos));
        pos++; // the terminating 0
        return s;
    }

    /** Reads past the next {@code length} bytes without copying them; returns where they start in {@link #array()}. */
    int advance(int length) throws IOException {
        if (length < 0) throw new NegativeArraySizeException(String.valueOf(length));
        need(length);
        int at = pos;
        pos += length;
        return at;
    }

    @Override
    public byte[] read(int length) throws IOException {
        int at = advance(length);
        return Arrays.copyOfRange(buf, at, at + length);
    }

    @Override
    public void fill(byte[] bytes, int offset, int length) throws IOException {
        need(length);
        System.arraycopy(buf, pos, bytes, offset, length);
        pos += length;
    }

    @Override
    public BitSet readBitSet(int length, boolean bigEndian) throws IOException {
        int n = (length + 7) >> 3;
        need(n);
        if (length > 0 && length <= 64) { // one word (tables of up to 64 columns): the same set, without a set(i) per bit
            long word = 0;
            for (int k = 0; k < n; k++) word |= (buf[pos + (bigEndian ? k : n - 1 - k)] & 0xFFL) << (k << 3);
            if (length < 64) word &= (1L << length) - 1;
            pos += n;
            return word == 0 ? new BitSet() : BitSet.valueOf(new long[] {word});
        }
        BitSet result = new BitSet();
        for (int i = 0; i < length; i++) {
            // the client reverses the bytes of a little-endian set before reading bit i from byte i / 8
            int b = buf[pos + (bigEndian ? i >> 3 : n - 1 - (i >> 3))];
            if ((b & (1 << (i % 8))) != 0) result.set(i);
        }
        pos += n;
        return result;
    }

    @Override
    public int readPackedInteger() throws IOException {
        Number number = readPackedNumber();
        if (number == null) throw new IOException("Unexpected NULL where int should have been");
        if (number.longValue() > Integer.MAX_VALUE) throw new IOException("Stumbled upon long even though int expected");
        return number.intValue();
    }

    @Override
    public long readPackedLong() throws IOException {
        Number number = readPackedNumber();
        if (number == null) throw new IOException("Unexpected NULL where long should have been");
        return number.longValue();
    }

    @Override
    public Number readPackedNumber() throws IOException {
        int b = read();
        if (b < 251) return b;
        if (b == 251) return null;
        if (b == 252) return (long) readInteger(2);
        if (b == 253) return (long) readInteger(3);
        if (b == 254) return readLong(8);
        throw new IOException("Unexpected packed number byte " + b);
    }

    /** As the client's: inside a block, what is left of the block (even if the data ends first). */
    @Override
    public int available() {
        return blockEnd == -1 ? end - pos : blockEnd - pos;
    }

    @Override
    public int peek() {
        return pos < limit() ? buf[pos] & 0xFF : -1;
    }

    @Override
    public int read() throws IOException {
        if (pos >= limit()) throw new EOFException(String.format("Failed to read next byte from position %d", pos - start));
        return buf[pos++] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (b == null) throw new NullPointerException();
        if (off < 0 || len < 0 || len > b.length - off) throw new IndexOutOfBoundsException();
        if (len == 0) return 0;
        int n = Math.min(len, limit() - pos);
        if (n <= 0) return -1;
        System.arraycopy(buf, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public long skip(long n) {
        if (n <= 0) return 0;
        int k = (int) Math.min(n, limit() - pos);
        if (k <= 0) return 0;
        pos += k;
        return k;
    }

    @Override
    public void close() { }

    @Override
    public void enterBlock(int length) {
        blockEnd = length < 0 ? -1 : (int) Math.min((long) pos + length, Integer.MAX_VALUE);
        initialBlockLength = length;
    }

    @Override
    public void skipToTheEndOfTheBlock() {
        if (blockEnd != -1) {
            pos = Math.max(pos, Math.min(blockEnd, end));
            blockEnd = -1;
        }
    }

    @Override
    public int getPosition() {
        return pos - start;
    }

    @Override
    public synchronized void mark(int readlimit) {
        mark = pos;
    }

    @Override
    public boolean markSupported() {
        return true;
    }

    @Override
    public synchronized void reset() {
        pos = mark;
    }

    @Override
    public synchronized long fastSkip(long n) {
        long skipOf = n;
        if (blockEnd != -1) {
            skipOf = Math.min(blockEnd - pos, skipOf);
            if (blockEnd - pos - skipOf == 0) blockEnd = -1; // as the client: a block skipped to its end is left
        }
        return skip(skipOf);
    }
}
