using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using ByokPortal.Core.ApiKeys;

namespace ByokPortal.Runtime.Snapshots;

/// <summary>
/// The SHA-256 of an organization API key, as a value the snapshot's dictionary can look up without allocating: the database stores the
/// same hash as hex (<see cref="ApiKeyToken.Hash"/>), so a presented key is found by hashing it, never by comparing plaintexts.
/// </summary>
public readonly record struct ApiKeyHash(ulong A, ulong B, ulong C, ulong D)
{
    public const int Size = 32;

    public static ApiKeyHash FromHex(string hex)
    {
        Span<byte> bytes = stackalloc byte[Size];
        Convert.FromHexString(hex, bytes, out _, out var written);
        if (written != Size)
        {
            throw new FormatException("An API key hash is 64 hexadecimal characters.");
        }

        return FromBytes(bytes);
    }

    /// <summary>Hashes a presented token (ASCII), allocation-free.</summary>
    public static ApiKeyHash Of(ReadOnlySpan<char> token)
    {
        Span<byte> utf8 = stackalloc byte[ApiKeyToken.TokenLength * 3];
        var length = Encoding.UTF8.GetBytes(token, utf8);
        Span<byte> hash = stackalloc byte[Size];
        SHA256.HashData(utf8[..length], hash);
        return FromBytes(hash);
    }

    /// <summary>Compares two hashes in constant time (the dictionary found the candidate; this confirms it without a timing signal).</summary>
    public bool FixedTimeEquals(ApiKeyHash other)
    {
        Span<byte> left = stackalloc byte[Size];
        Span<byte> right = stackalloc byte[Size];
        WriteTo(left);
        other.WriteTo(right);
        return CryptographicOperations.FixedTimeEquals(left, right);
    }

    private static ApiKeyHash FromBytes(ReadOnlySpan<byte> bytes) => new(
        BinaryPrimitives.ReadUInt64LittleEndian(bytes),
        BinaryPrimitives.ReadUInt64LittleEndian(bytes[8..]),
        BinaryPrimitives.ReadUInt64LittleEndian(bytes[16..]),
        BinaryPrimitives.ReadUInt64LittleEndian(bytes[24..]));

    private void WriteTo(Span<byte> bytes)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, A);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[8..], B);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[16..], C);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[24..], D);
    }
}
