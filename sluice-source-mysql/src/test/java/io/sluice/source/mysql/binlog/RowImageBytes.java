package io.sluice.source.mysql.binlog;

import java.io.ByteArrayOutputStream;
import java.util.BitSet;
import java.util.SplittableRandom;

/** A random binlog row image as MySQL writes it (null bitmap of the included columns, then their cells), for the decoding tests. */
final class RowImageBytes {

    /** Writes one cell of binlog type {@code type} with its TABLE_MAP metadata. */
    interface CellWriter {
        void write(ByteArrayOutputStream out, int type, int meta, SplittableRandom rnd);
    }

    private RowImageBytes() {}

    /**
     * The image of the {@code included} columns, each null with chance 1/{@code nullOneIn}, followed by
     * three bytes that are not the image's (a decoder must stop before them); {@code nulls} counts the nulls.
     */
    static byte[] image(SplittableRandom rnd, BitSet included, byte[] types, int[] meta, int nullOneIn, CellWriter cell,
                        int[] nulls) {
        int count = included.cardinality();
        ByteArrayOutputStream row = new ByteArrayOutputStream();
        BitSet isNull = new BitSet();
        for (int i = 0; i < count; i++) if (rnd.nextInt(nullOneIn) == 0) isNull.set(i);
        nulls[0] += isNull.cardinality();
        byte[] bitmap = new byte[(count + 7) >> 3];
        for (int i = 0; i < count; i++) if (isNull.get(i)) bitmap[i >> 3] |= (byte) (1 << (i & 7));
        row.write(bitmap, 0, bitmap.length);
        for (int c = 0, index = 0; c < types.length; c++) {
            if (!included.get(c)) continue;
            if (!isNull.get(index++)) cell.write(row, types[c] & 0xFF, meta[c], rnd);
        }
        row.write(new byte[] {7, 7, 7}, 0, 3); // what follows the image
        return row.toByteArray();
    }
}
