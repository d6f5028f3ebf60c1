package dev.configstore.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** Hand-written histories, each with one thing the checker must find, or must not. */
class HistoryCheckerTest {

    private static final long BOUND = 100;
    private static final long TTL = 1_000;
    private static final long END_OF_RUN = 1_000_000;

    private final List<Op> ops = new ArrayList<>();

    private Op put(String process, String value, long start, long end) {
        return add(new Op(process, 0, Op.Kind.PUT, "k", value, start, end, Op.Outcome.OK, ""));
    }

    private Op remove(String process, long start, long end) {
        return add(new Op(process, 0, Op.Kind.REMOVE, "k", null, start, end, Op.Outcome.OK, ""));
    }

    private Op read(String process, @Nullable String value, long start, long end) {
        return add(new Op(process, 0, Op.Kind.GET, "k", value, start, end, Op.Outcome.OK, ""));
    }

    private Op add(Op op) {
        ops.add(op);
        return op;
    }

    private CheckResult check() {
        return HistoryChecker.check(ops, Map.of(), END_OF_RUN, BOUND, TTL);
    }

    private CheckResult checkWithFinal(@Nullable String value) {
        return HistoryChecker.check(ops, Map.of("k", Optional.ofNullable(value)), END_OF_RUN, BOUND, TTL);
    }

    private static List<Violation.Rule> rules(CheckResult result) {
        return result.violations().stream().map(Violation::rule).toList();
    }

    @Test
    void aReadConcurrentWithAWriteMayReturnTheOldValueOrTheNew() {
        put("p1", "a", 0, 10);
        put("p1", "b", 20, 40);
        read("p2", "a", 25, 30);
        read("p2", "b", 30, 35);
        read("p1", "a", 21, 22);

        assertThat(check().violations()).isEmpty();
    }

    @Test
    void aValueNoWriteWroteIsReported() {
        put("p1", "a", 0, 10);
        Op read = read("p2", "ghost", 20, 30);

        CheckResult result = check();

        assertThat(rules(result)).containsExactly(Violation.Rule.NEVER_WRITTEN);
        assertThat(result.violations().get(0).ops()).containsExactly(read);
    }

    @Test
    void aValueWhoseWriteBeganAfterTheReadReturnedIsReported() {
        read("p2", "a", 0, 5);
        put("p1", "a", 10, 20);

        assertThat(rules(check())).containsExactly(Violation.Rule.READ_BEFORE_WRITE);
    }

    @Test
    void theValueOfAFailedWriteMustNeverBeRead() {
        add(new Op("p1", 0, Op.Kind.PUT, "k", "a", 0, 10, Op.Outcome.FAILED, "BUSY: locked"));
        read("p2", "a", 20, 30);

        assertThat(rules(check())).containsExactly(Violation.Rule.FAILED_WRITE_OBSERVED);
    }

    @Test
    void anotherProcessMayReadTheReplacedValueWithinTheBoundButNotAfter() {
        put("p1", "a", 0, 10);
        Op newer = put("p1", "b", 20, 30);
        read("p2", "a", 30 + BOUND - 1, 30 + BOUND + 5);
        Op late = read("p2", "a", 30 + BOUND + 1, 30 + BOUND + 5);

        CheckResult result = check();

        assertThat(rules(result)).containsExactly(Violation.Rule.STALE_READ);
        assertThat(result.violations().get(0).ops()).containsExactly(late, ops.get(0), newer);
        assertThat(result.maxStalenessNanos()).isEqualTo(BOUND + 1);
    }

    @Test
    void theBoundIsNeverMoreThanTheTimeToLive() {
        put("p1", "a", 0, 10);
        put("p1", "b", 20, 30);
        read("p2", "a", 30 + 50, 30 + 60);

        CheckResult result = HistoryChecker.check(ops, Map.of(), END_OF_RUN, BOUND, 40);

        assertThat(rules(result)).containsExactly(Violation.Rule.STALE_READ);
    }

    @Test
    void aProcessReadsItsOwnWritesAtOnce() {
        put("p2", "a", 0, 10);
        put("p1", "b", 20, 30);
        read("p1", "a", 31, 35);

        assertThat(rules(check())).containsExactly(Violation.Rule.STALE_READ);
    }

    @Test
    void aWriteOfUnknownOutcomeIsConcurrentWithEverythingAfterItsStart() {
        put("p1", "a", 0, 10);
        add(new Op("p3", 0, Op.Kind.PUT, "k", "killed", 15, Op.OPEN_END, Op.Outcome.UNKNOWN, "killed"));
        put("p1", "b", 20, 30);
        // Read long after b: the killed write may have been applied after b.
        read("p2", "killed", 500, 510);
        // And it is no proof that a is replaced: it may never have happened.
        read("p2", "b", 520, 530);

        assertThat(checkWithFinal("killed").violations()).isEmpty();
    }

    @Test
    void absenceIsTheValueOfEveryRemoveAndOfTheStart() {
        put("p1", "a", 0, 10);
        remove("p1", 20, 30);
        read("p2", null, 35, 40);
        read("p1", null, 31, 32);

        assertThat(check().violations()).isEmpty();
    }

    @Test
    void anAbsenceReadLongAfterAPutIsStale() {
        put("p1", "a", 0, 10);
        Op read = read("p2", null, 10 + BOUND + 1, 10 + BOUND + 2);

        CheckResult result = check();

        assertThat(rules(result)).containsExactly(Violation.Rule.STALE_READ);
        assertThat(result.violations().get(0).ops()).containsExactly(read, ops.get(0));
    }

    @Test
    void aFailedRemoveDoesNotExplainAnAbsence() {
        put("p1", "a", 0, 10);
        add(new Op("p1", 0, Op.Kind.REMOVE, "k", null, 20, 30, Op.Outcome.FAILED, "READ_ONLY"));
        read("p1", null, 40, 50);

        assertThat(rules(check())).containsExactly(Violation.Rule.STALE_READ);
    }

    @Test
    void aProcessNeverReadsAValueOlderThanOneItReadBefore() {
        put("p1", "a", 0, 10);
        put("p1", "b", 20, 30);
        read("p2", "b", 40, 45);
        // Within the bound, so not stale; but p2 already saw b.
        read("p2", "a", 50, 55);

        assertThat(rules(check())).containsExactly(Violation.Rule.NON_MONOTONIC_READ);
    }

    @Test
    void overlappingReadsOfOneProcessMayDisagree() {
        put("p1", "a", 0, 10);
        put("p1", "b", 20, 30);
        read("p2", "b", 40, 60);
        add(new Op("p2", 1, Op.Kind.GET, "k", "a", 50, 55, Op.Outcome.OK, ""));

        assertThat(check().violations()).isEmpty();
    }

    @Test
    void aFinalValueOlderThanAnAcknowledgedWriteIsALostWrite() {
        put("p1", "a", 0, 10);
        put("p2", "b", 20, 30);
        put("p2", "c", 40, 50);

        CheckResult result = checkWithFinal("a");

        assertThat(rules(result)).containsExactly(Violation.Rule.ACKNOWLEDGED_WRITE_LOST);
        assertThat(result.acknowledgedWritesLost()).isEqualTo(2);
        assertThat(checkWithFinal("c").violations()).isEmpty();
    }

    @Test
    void aFinalAbsenceAfterAnAcknowledgedPutIsALostWrite() {
        remove("p1", 0, 10);
        put("p2", "b", 20, 30);

        assertThat(rules(checkWithFinal(null))).containsExactly(Violation.Rule.ACKNOWLEDGED_WRITE_LOST);
    }

    @Test
    void theDelayRunsFromAWritesStartToTheFirstReadOfAnotherProcessThatReturnedIt() {
        put("p1", "a", 100, 110);
        read("p1", "a", 111, 112);
        read("p2", "a", 105, 109);
        read("p2", "a", 130, 140);
        read("p3", "a", 120, 125);

        CheckResult result = check();

        assertThat(result.delays()).containsExactly(9L);
    }

    @Test
    void aKilledProcessLeavesItsLastWriteOpenAndACutLineIsIgnored() {
        List<Op> parsed = History.parse(
                List.of(
                        "W\t1\tw1\t0\tPUT\tk\tw1-0-1\t100",
                        "C\t1\t110\tOK\t",
                        "R\tw1\t1\tk\t105\t120\tOK\tw1-0-1\t",
                        "W\t2\tw1\t0\tREMOVE\tk\t-\t130",
                        "R\tw1\t1\tk\t125\t14"),
                "w1.history");

        assertThat(parsed)
                .containsExactlyInAnyOrder(
                        new Op("w1", 0, Op.Kind.PUT, "k", "w1-0-1", 100, 110, Op.Outcome.OK, ""),
                        new Op("w1", 1, Op.Kind.GET, "k", "w1-0-1", 105, 120, Op.Outcome.OK, ""),
                        new Op(
                                "w1",
                                0,
                                Op.Kind.REMOVE,
                                "k",
                                null,
                                130,
                                Op.OPEN_END,
                                Op.Outcome.UNKNOWN,
                                "no completion recorded: the process was killed"));
    }
}
