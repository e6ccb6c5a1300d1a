package simplebt.swarm;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Pieces nobody has started yet, kept sorted by availability in buckets laid out one after the
 * other in one array (the layout libtorrent's picker describes). Changing a piece's
 * availability by one is a swap with a bucket edge, so it costs O(1) whatever the piece count;
 * removing a piece costs O(highest availability). Within a bucket the order is a random
 * shuffle, so ties are broken at random. Not thread-safe: the picker's lock guards it.
 */
final class PieceOrder {
    private final int[] order;
    private final int[] position;     // position[piece] in order, or -1 when not in it
    private final int[] availability;
    private int[] start = new int[4]; // bucket a is order[start[a] .. start[a + 1])
    private int top;                  // highest bucket in use; start[top + 1] == size
    private int size;

    PieceOrder(int pieceCount, RandomGenerator random) {
        order = new int[pieceCount];
        position = new int[pieceCount];
        availability = new int[pieceCount];
        for (int i = 0; i < pieceCount; i++) {
            order[i] = i;
        }
        for (int i = pieceCount - 1; i > 0; i--) { // Fisher-Yates: random tie-breaks
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        for (int i = 0; i < pieceCount; i++) {
            position[order[i]] = i;
        }
        size = pieceCount;
        start[1] = size;
    }

    int size() {
        return size;
    }

    boolean contains(int piece) {
        return position[piece] >= 0;
    }

    int availability(int piece) {
        return availability[piece];
    }

    int at(int index) {
        return order[index];
    }

    /** First index of pieces with availability >= a. */
    int firstWithAtLeast(int a) {
        return a > top ? size : start[a];
    }

    void increment(int piece) {
        int a = availability[piece]++;
        if (position[piece] < 0) {
            return;
        }
        ensureBucket(a + 1);
        int last = start[a + 1] - 1; // last slot of bucket a
        swap(position[piece], last);
        start[a + 1]--;
    }

    void decrement(int piece) {
        int a = availability[piece]--;
        if (a <= 0) {
            throw new IllegalStateException("availability of piece " + piece + " would go negative");
        }
        if (position[piece] < 0) {
            return;
        }
        swap(position[piece], start[a]); // first slot of bucket a
        start[a]++;
        shrinkTop();
    }

    /** Takes a piece out for good (started or verified). */
    void remove(int piece) {
        int p = position[piece];
        if (p < 0) {
            return;
        }
        // Walk it up through the buckets above it to the end, then cut the end off.
        int a = availability[piece];
        swap(p, start[a + 1] - 1);
        for (int b = a + 1; b <= top; b++) {
            start[b]--;
            swap(position[piece], start[b + 1] - 1);
        }
        size--;
        start[top + 1] = size;
        position[piece] = -1;
        shrinkTop();
    }

    private void ensureBucket(int a) {
        if (a + 1 >= start.length) {
            start = Arrays.copyOf(start, Math.max(start.length * 2, a + 2));
        }
        while (top < a) {
            top++;
            start[top + 1] = size;
        }
    }

    private void shrinkTop() {
        while (top > 0 && start[top] == size) {
            top--;
        }
    }

    private void swap(int i, int j) {
        int a = order[i];
        int b = order[j];
        order[i] = b;
        order[j] = a;
        position[b] = i;
        position[a] = j;
    }

    void checkInvariants() {
        for (int i = 0; i < size; i++) {
            int piece = order[i];
            if (position[piece] != i) {
                throw new IllegalStateException("position of piece " + piece + " is " + position[piece] + ", not " + i);
            }
            int a = availability[piece];
            if (a > top || i < start[a] || i >= start[a + 1]) {
                throw new IllegalStateException("piece " + piece + " with availability " + a + " sits at " + i
                        + " outside its bucket");
            }
        }
        if (start[0] != 0 || start[top + 1] != size) {
            throw new IllegalStateException("bucket edges " + Arrays.toString(Arrays.copyOf(start, top + 2)) + " for size " + size);
        }
    }
}
