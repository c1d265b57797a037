namespace HingeSensor.Nano.Core.Storage
{
    /// <summary>
    /// The flash file system as the core needs it. On the device: LittleFS on the internal drive
    /// (data written since a file was opened is durable only once it is closed), so every write
    /// here is open → write → close. Failures are results, not exceptions.
    /// </summary>
    public interface IFileStore
    {
        /// <summary>Length of a file in bytes, or −1 if it does not exist.</summary>
        int Length(string path);

        /// <summary>Appends and closes: when this returns true the bytes are durable.</summary>
        bool Append(string path, byte[] data, int offset, int count);

        /// <summary>Creates or replaces a file with these bytes and closes it.</summary>
        bool Write(string path, byte[] data, int offset, int count);

        /// <summary>Reads up to count bytes from position; returns how many were read (−1 on error).</summary>
        int Read(string path, int position, byte[] buffer, int offset, int count);

        bool Delete(string path);

        /// <summary>
        /// Cuts a file to its first <paramref name="length"/> bytes, in place, and closes it: when
        /// this returns true the shorter file is durable. Needs no free space. On LittleFS the cut
        /// is committed atomically, so a power cut leaves the old length or the new.
        /// </summary>
        bool Truncate(string path, int length);

        /// <summary>
        /// Renames, replacing the target. Not atomic on the device (nanoFramework's File.Move refuses
        /// an existing target, so the glue deletes it first): callers must survive a cut in between.
        /// </summary>
        bool Rename(string from, string to);

        /// <summary>Names (not paths) of the files in a directory; empty if there is none.</summary>
        string[] List(string directory);

        long FreeBytes { get; }
        long TotalBytes { get; }
    }
}
