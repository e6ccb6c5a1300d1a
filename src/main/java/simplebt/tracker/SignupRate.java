package simplebt.tracker;

import simplebt.cli.UsageException;

/**
 * How many sign-ups one address may make: up to {@code count} at once, then one more each
 * {@code perSeconds / count} seconds (a token bucket). Written {@code COUNT/SECONDS} on the
 * command line, e.g. {@code 10/600}: ten per ten minutes.
 */
public record SignupRate(int count, int perSeconds) {
    /** Friendly to a household or a class behind one NAT address; a flood gets 10 accounts. */
    public static final SignupRate DEFAULT = new SignupRate(10, 600);

    public SignupRate {
        if (count < 1 || perSeconds < 1) {
            throw new IllegalArgumentException("sign-up rate needs a count and a period of at least 1");
        }
    }

    static SignupRate parse(String text) throws UsageException {
        int[] n = twoNumbers(text);
        if (n != null && n[0] >= 1 && n[1] >= 1) {
            return new SignupRate(n[0], n[1]);
        }
        throw new UsageException("--signup-rate must be COUNT/SECONDS with both at least 1, e.g. 10/600; got '"
                + text + "'");
    }

    @Override
    public String toString() {
        return count + "/" + perSeconds;
    }

    /** {@code A/B} as two ints, or null when it is not that (also used by {@link PeerLimits}). */
    static int[] twoNumbers(String text) {
        String[] parts = text.split("/", -1);
        if (parts.length != 2) {
            return null;
        }
        try {
            return new int[] {Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim())};
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
