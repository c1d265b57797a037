using System;
using System.IO;
using HingeSensor.Host.Sessions;

namespace HingeSensor.Host.Storage
{
    /// <summary>
    /// Stores a session file brought from elsewhere (`hinge history import`): the device's own file,
    /// byte for byte as a download gives it — the web app hands sessions to a laptop this way. The
    /// header names the device; the database keeps it once per content (SHA-256), as a download.
    /// </summary>
    public static class SessionFileImport
    {
        /// <summary>Null when stored (or already there), else why not, for people; the file is left as it is.</summary>
        public static string? Import(SessionDatabase db, string path, out long id, out bool inserted)
        {
            id = 0;
            inserted = false;
            byte[] bytes;
            try
            {
                var info = new FileInfo(path);
                if (!info.Exists) return "no such file";
                if (info.Length > Protocol.SessionFormat.MaxSessionBytes) return $"{info.Length} bytes: larger than any session ({Protocol.SessionFormat.MaxSessionBytes} at most), not a session file";
                bytes = File.ReadAllBytes(path);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                return e.Message;
            }
            DecodedSession decoded;
            try
            {
                decoded = DecodedSession.Decode(bytes, bytes.Length);
            }
            catch (InvalidDataException e)
            {
                return $"not a session file that decodes ({e.Message}); nothing stored";
            }
            var h = decoded.Header;
            var device = new DeviceIdentityInfo(h.DeviceSerial, h.Config.DeviceName, null, null, $"{h.FirmwareMajor}.{h.FirmwareMinor}.{h.FirmwarePatch}");
            (id, inserted) = db.ImportDeviceSession(device, bytes);
            return null;
        }
    }
}
