using Microsoft.Extensions.Logging;
using System.Xml.Linq;
using ByokPortal.Core.Common;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace ByokPortal.Secrets.KeyRing;

/// <summary>The embedded default's key ring: one file per key in <c>{data directory}/keys</c>, readable by the portal's user only.</summary>
public sealed class PrivateFileSystemXmlRepository(DirectoryInfo directory, ILoggerFactory loggerFactory)
    : FileSystemXmlRepository(directory, loggerFactory)
{
    public override void StoreElement(XElement element, string friendlyName)
    {
        PrivateFiles.CreateDirectory(Directory.FullName);
        base.StoreElement(element, friendlyName);
        PrivateFiles.Restrict(Directory.FullName, recursive: true);
    }
}
