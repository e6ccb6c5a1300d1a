package simplebt.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class MetadataMessageTest {
    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void bytesOnTheWireAreBep9s() throws Exception {
        assertThat(new MetadataMessage.Request(0).encode()).isEqualTo(ascii("d8:msg_typei0e5:piecei0ee"));
        assertThat(new MetadataMessage.Reject(3).encode()).isEqualTo(ascii("d8:msg_typei2e5:piecei3ee"));
        assertThat(new MetadataMessage.Data(1, 20000, ascii("xyz")).encode())
                .isEqualTo(ascii("d8:msg_typei1e5:piecei1e10:total_sizei20000eexyz"));
        assertThat(MetadataMessage.decode(ascii("d8:msg_typei1e5:piecei1e10:total_sizei20000eexyz")))
                .isEqualTo(new MetadataMessage.Data(1, 20000, ascii("xyz")));
        assertThat(MetadataMessage.decode(ascii("d8:msg_typei0e5:piecei7ee"))).isEqualTo(new MetadataMessage.Request(7));
    }

    @Test
    void hostileMessagesAreRefused() {
        refused("d8:msg_typei3e5:piecei0ee", "ut_metadata msg_type must be a number 0..2");
        refused("d8:msg_typei0e5:piecei-1ee", "ut_metadata piece must be a number 0..1023");
        refused("d8:msg_typei0e5:piecei1024ee", "ut_metadata piece must be a number 0..1023");
        refused("d8:msg_typei0ee", "ut_metadata message without piece");
        refused("d8:msg_typei1e5:piecei0e10:total_sizei16777217eexyz", "ut_metadata total_size must be a number 0..16777216");
        refused("d8:msg_typei1e5:piecei0e10:total_sizei0eexyz", "ut_metadata data: total_size 0, piece of 3 bytes");
        refused("d8:msg_typei0e5:piecei0eexyz", "ut_metadata request followed by 3 bytes");
        refused("li0ee", "ut_metadata message must start with a dictionary");
        byte[] big = new byte[40 + 16385];
        byte[] head = ascii("d8:msg_typei1e5:piecei0e10:total_sizei99999ee");
        System.arraycopy(head, 0, big, 0, head.length);
        assertThatThrownBy(() -> MetadataMessage.decode(java.util.Arrays.copyOf(big, head.length + 16385)))
                .isInstanceOf(WireException.class).hasMessage("ut_metadata data: total_size 99999, piece of 16385 bytes");
    }

    @Test
    void extensionHandshakeCarriesMetadataSize() throws Exception {
        ExtensionHandshake ours = new ExtensionHandshake(Map.of("ut_metadata", 1), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.of(31235));
        assertThat(ours.encode()).isEqualTo(ascii("d1:md11:ut_metadatai1ee13:metadata_sizei31235ee"));
        assertThat(ExtensionHandshake.decode(ours.encode()).metadataSize()).contains(31235);
    }

    private static void refused(String payload, String message) {
        assertThatThrownBy(() -> MetadataMessage.decode(ascii(payload))).isInstanceOf(WireException.class).hasMessage(message);
    }
}
