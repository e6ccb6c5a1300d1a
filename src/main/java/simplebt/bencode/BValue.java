package simplebt.bencode;

/** A bencoded value (BEP 3): an integer, a byte string, a list or a dictionary. */
public sealed interface BValue permits BInt, BString, BList, BDict {
}
