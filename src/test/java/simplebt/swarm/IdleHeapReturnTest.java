package simplebt.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;

import org.junit.jupiter.api.Test;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;

class IdleHeapReturnTest {
    private final HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);

    @Test
    void turnsOnG1sPeriodicCollectionUnlessTheUserSetIt() {
        VMOption before = vm.getVMOption(IdleHeapReturn.OPTION);
        // MANAGEMENT: a host started earlier in this test JVM set it already (through the same call).
        boolean fromCommandLine = before.getOrigin() != VMOption.Origin.DEFAULT
                && before.getOrigin() != VMOption.Origin.MANAGEMENT;
        try {
            IdleHeapReturn.enable();
            assertThat(vm.getVMOption(IdleHeapReturn.OPTION).getValue())
                    .isEqualTo(fromCommandLine ? before.getValue() : "2000");
            vm.setVMOption(IdleHeapReturn.OPTION, "0"); // what a user's -XX:G1PeriodicGCInterval=0 says
            assertThat(IdleHeapReturn.enable()).isFalse();
            assertThat(vm.getVMOption(IdleHeapReturn.OPTION).getValue()).isEqualTo("0");
        } finally {
            vm.setVMOption(IdleHeapReturn.OPTION, before.getValue());
        }
    }

    @Test
    void tightensTheHeapFreeRatiosUnlessTheUserSetEither() {
        VMOption min = vm.getVMOption(IdleHeapReturn.MIN_FREE);
        VMOption max = vm.getVMOption(IdleHeapReturn.MAX_FREE);
        boolean userSet = fromCommandLine(min) || fromCommandLine(max);
        try {
            IdleHeapReturn.enable();
            assertThat(vm.getVMOption(IdleHeapReturn.MIN_FREE).getValue()).isEqualTo(userSet ? min.getValue() : "10");
            assertThat(vm.getVMOption(IdleHeapReturn.MAX_FREE).getValue()).isEqualTo(userSet ? max.getValue() : "20");

            vm.setVMOption(IdleHeapReturn.MIN_FREE, "5"); // what a user's -XX:MinHeapFreeRatio=5 says
            vm.setVMOption(IdleHeapReturn.MAX_FREE, "60"); // and -XX:MaxHeapFreeRatio=60
            assertThat(IdleHeapReturn.tightenFreeRatios()).isFalse();
            assertThat(vm.getVMOption(IdleHeapReturn.MIN_FREE).getValue()).isEqualTo("5");
            assertThat(vm.getVMOption(IdleHeapReturn.MAX_FREE).getValue()).isEqualTo("60");
        } finally {
            vm.setVMOption(IdleHeapReturn.MIN_FREE, "0"); // a valid order whatever the values were
            vm.setVMOption(IdleHeapReturn.MAX_FREE, max.getValue());
            vm.setVMOption(IdleHeapReturn.MIN_FREE, min.getValue());
        }
    }

    /** Set by the user (command line, JAVA_TOOL_OPTIONS...), not by an earlier host of this test JVM (MANAGEMENT). */
    private static boolean fromCommandLine(VMOption o) {
        return o.getOrigin() != VMOption.Origin.DEFAULT && o.getOrigin() != VMOption.Origin.MANAGEMENT;
    }
}
