using System.Buffers.Binary;
using System.Runtime.CompilerServices;
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

    [ThreadStatic]
    private static IncrementalHash? t_sha256;

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

    /// <summary>
    /// Hashes a presented token (ASCII), allocation-free. Each thread keeps one SHA-256 context and resets it after every hash: the one-shot
    /// <see cref="SHA256.HashData(ReadOnlySpan{byte}, Span{byte})"/> sets up a new OpenSSL context per call, which costs more than hashing
    /// a 45-byte token does.
    /// </summary>
    public static ApiKeyHash Of(ReadOnlySpan<char> token)
    {
        Span<byte> utf8 = stackalloc byte[ApiKeyToken.TokenLength * 3];
        var length = Encoding.UTF8.GetBytes(token, utf8);
        Span<byte> hash = stackalloc byte[Size];
        var sha256 = t_sha256 ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha256.AppendData(utf8[..length]);
        sha256.GetHashAndReset(hash);
        return FromBytes(hash);
    }

    /// <summary>
    /// Compares two hashes in constant time (the dictionary found the candidate; this confirms it without a timing signal): the four words
    /// are XORed and ORed together, with no branch on their contents. <see cref="CryptographicOperations.FixedTimeEquals"/> does the same
    /// byte by byte, deliberately unoptimized, at several hundred nanoseconds for 32 bytes.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public bool FixedTimeEquals(in ApiKeyHash other) =>
        ((A ^ other.A) | (B ^ other.B) | (C ^ other.C) | (D ^ other.D)) == 0;

    private static ApiKeyHash FromBytes(ReadOnlySpan<byte> bytes) => new(
        BinaryPrimitives.ReadUInt64LittleEndian(bytes),
        BinaryPrimitives.ReadUInt64LittleEndian(bytes[8..]),
        BinaryPrimitives.ReadUInt64LittleEndian(bytes[16..]),
        BinaryPrimitives.ReadUInt64LittleEndian(bytes[24..]));
}
