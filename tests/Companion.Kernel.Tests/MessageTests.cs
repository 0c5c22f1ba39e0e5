using System.Text;
using System.Text.Json.Nodes;
using Companion.Kernel;

namespace Companion.Kernel.Tests;

public class MessageTests
{
    [Fact]
    public void Signature_is_hmac_sha256_over_the_frames_rfc4231_case_2()
    {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?"; split over frames as Jupyter signs them.
        var signer = new MessageSigner("Jefe");
        var frames = new[] { "what do ", "ya want ", "for noth", "ing?" }.Select(Encoding.ASCII.GetBytes).ToList();
        Assert.Equal("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", signer.Sign(frames));
    }

    [Fact]
    public void Round_trip_keeps_identities_and_fields_and_a_tampered_message_is_rejected()
    {
        var signer = new MessageSigner("secret");
        var request = JupyterMessage.Create("execute_request", new JsonObject { ["code"] = "1 + 1" }, null, "s1", [[1, 2, 3]]);
        var frames = request.ToFrames(signer);
        var back = JupyterMessage.Parse(frames, signer);
        Assert.Equal("execute_request", back.Type);
        Assert.Equal([1, 2, 3], back.Identities[0]);
        Assert.Equal("1 + 1", back.Content["code"]!.GetValue<string>());

        var reply = JupyterMessage.Create("execute_reply", new JsonObject(), back, "s2");
        Assert.Equal(back.Id, reply.ParentHeader["msg_id"]!.GetValue<string>());
        Assert.Equal([1, 2, 3], reply.Identities[0]);

        var tampered = frames.ToList();
        tampered[^1] = Encoding.UTF8.GetBytes("{\"code\": \"rm -rf\"}");
        var e = Assert.Throws<InvalidMessageException>(() => JupyterMessage.Parse(tampered, signer));
        Assert.Contains("signature", e.Message);
        Assert.Throws<InvalidMessageException>(() => JupyterMessage.Parse(frames, new MessageSigner("other key")));
    }

    [Fact]
    public void Unsigned_sessions_accept_empty_signatures()
    {
        var signer = new MessageSigner("");
        var frames = JupyterMessage.Create("kernel_info_request", new JsonObject(), null, "s").ToFrames(signer);
        Assert.Empty(frames[1]);
        Assert.Equal("kernel_info_request", JupyterMessage.Parse(frames, signer).Type);
    }

    [Fact]
    public void Connection_file_errors_name_the_field()
    {
        var path = Path.GetTempFileName();
        File.WriteAllText(path, """{"transport": "tcp", "ip": "127.0.0.1", "shell_port": 1, "control_port": 2, "iopub_port": 3, "stdin_port": 4, "key": "k"}""");
        var e = Assert.Throws<FormatException>(() => ConnectionInfo.Read(path));
        Assert.Contains("hb_port", e.Message);
        Assert.Contains(path, e.Message);
        File.Delete(path);
    }

    [Fact]
    public void Cursor_positions_convert_between_code_points_and_utf16()
    {
        var s = "a😀b"; // U+1F600 is two UTF-16 units, one code point
        Assert.Equal(3, CodePoints.ToUtf16(s, 2));
        Assert.Equal(2, CodePoints.FromUtf16(s, 3));
        Assert.Equal(s.Length, CodePoints.ToUtf16(s, 99));
    }
}
