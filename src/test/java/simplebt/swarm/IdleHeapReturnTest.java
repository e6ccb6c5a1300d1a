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
}
