#!/usr/bin/python3
"""Drives a Jupyter kernel through jupyter_client (Debian python3-jupyter-client) and checks every message the
project's kernel serves. Prints one JSON line per scenario: {"name", "ok", "detail"}; exit code 0 when all pass.

usage: kernel_protocol.py --kernel NAME --cwd NOTEBOOK_DIR [--only SCENARIO ...]
The kernelspec is found on JUPYTER_PATH (the xunit fixture installs it into a temporary prefix).
"""
import argparse, hashlib, hmac, json, os, signal, subprocess, sys, time, traceback, uuid

import zmq
from jupyter_client.manager import KernelManager

TIMEOUT = 120          # seconds any single reply may take on a loaded 2-core machine
INTERRUPT_AFTER = 1.5  # seconds a runaway cell runs before it is interrupted
NO_REPLY_WAIT = 2.0    # seconds a badly signed request must stay unanswered


class Kernel:
    def __init__(self, name, cwd):
        self.km = KernelManager(kernel_name=name)
        self.km.start_kernel(cwd=cwd)
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=TIMEOUT)
        self.drain()

    def drain(self):
        for get in (self.kc.get_shell_msg, self.kc.get_iopub_msg, self.kc.get_control_msg):
            while True:
                try:
                    get(timeout=0.2)
                except Exception:
                    break

    def reply(self, msg_id, channel='shell', timeout=TIMEOUT):
        get = {'shell': self.kc.get_shell_msg, 'control': self.kc.get_control_msg}[channel]
        deadline = time.time() + timeout
        while True:
            m = get(timeout=max(0.1, deadline - time.time()))
            if m['parent_header'].get('msg_id') == msg_id:
                return m

    def iopub_until_idle(self, msg_id, timeout=TIMEOUT):
        """Every iopub message caused by msg_id, up to and including its idle status."""
        out, deadline = [], time.time() + timeout
        while True:
            m = self.kc.get_iopub_msg(timeout=max(0.1, deadline - time.time()))
            if m['parent_header'].get('msg_id') != msg_id:
                continue
            out.append(m)
            if m['msg_type'] == 'status' and m['content']['execution_state'] == 'idle':
                return out

    def execute(self, code, **kw):
        msg_id = self.kc.execute(code, **kw)
        iopub = self.iopub_until_idle(msg_id)
        return iopub, self.reply(msg_id)['content']

    def shell(self, msg_type, content, channel='shell'):
        msg = self.kc.session.msg(msg_type, content)
        getattr(self.kc, channel + '_channel').send(msg)
        return self.reply(msg['header']['msg_id'], channel)['content']

    def stop(self):
        self.kc.stop_channels()
        if self.km.is_alive():
            self.km.shutdown_kernel(now=False)


def types(iopub):
    return [m['msg_type'] for m in iopub]


def outputs(iopub):
    return [m for m in iopub if m['msg_type'] not in ('status', 'execute_input')]


def check(cond, what):
    if not cond:
        raise AssertionError(what)


# ---- scenarios -------------------------------------------------------------------------------------------------------

def kernel_info(k):
    for channel in ('shell', 'control'):
        msg = k.kc.session.msg('kernel_info_request', {})
        getattr(k.kc, channel + '_channel').send(msg)
        rep = k.reply(msg['header']['msg_id'], channel)
        c = rep['content']
        check(rep['msg_type'] == 'kernel_info_reply' and c['status'] == 'ok', f'{channel}: {rep["msg_type"]} {c}')
        check(tuple(int(x) for x in c['protocol_version'].split('.')) >= (5, 3), f'protocol {c["protocol_version"]}')
        li = c['language_info']
        # Exactly the notebooks' own language_info: front ends mark a notebook modified when it differs.
        check(li == {'name': 'C#'}, f'{channel}: language_info is not the notebooks\' {{"name": "C#"}}: {li}')
        iopub = k.iopub_until_idle(msg['header']['msg_id'])
        check(types(iopub)[0] == 'status' and iopub[0]['content']['execution_state'] == 'busy',
              f'{channel}: iopub {types(iopub)}')
    return 'kernel_info_reply on shell and control, busy/idle on iopub for each'


def execute_order(k):
    iopub, rep = k.execute('Console.WriteLine("out 1");\nConsole.Error.WriteLine("err 1");\n'
                           'Console.WriteLine("out 2");\n6 * 7')
    t = types(iopub)
    check(t[0] == 'status' and iopub[0]['content']['execution_state'] == 'busy', f'first is not busy: {t}')
    check(t[1] == 'execute_input', f'second is not execute_input: {t}')
    check(t[-1] == 'status' and iopub[-1]['content']['execution_state'] == 'idle', f'last is not idle: {t}')
    streams = [(m['content']['name'], m['content']['text']) for m in iopub if m['msg_type'] == 'stream']
    joined = ''.join(f'{n}:{x}' for n, x in streams)
    check(joined.replace('\n', '|') == 'stdout:out 1|stderr:err 1|stdout:out 2|', f'streams out of order: {streams}')
    results = [m for m in iopub if m['msg_type'] == 'execute_result']
    check(len(results) == 1 and results[0]['content']['data']['text/plain'] == '42', f'execute_result: {results}')
    check(rep['status'] == 'ok', f'reply {rep}')
    n = rep['execution_count']
    check(results[0]['content']['execution_count'] == n and iopub[1]['content']['execution_count'] == n,
          'execution_count differs between execute_input, execute_result and execute_reply')
    _, rep2 = k.execute('1')
    check(rep2['execution_count'] == n + 1, f'count did not increase: {n} -> {rep2["execution_count"]}')
    iopub3, rep3 = k.execute('Console.WriteLine("quiet"); 5', silent=True)
    check(types(iopub3) == ['status', 'status'], f'silent execution broadcast {types(iopub3)}')
    check(rep3['execution_count'] == n + 1, 'silent execution changed the count')
    _, rep4 = k.execute('2', store_history=False)
    check(rep4['execution_count'] == n + 1, 'store_history=False changed the count')
    return f'busy, execute_input, streams in program order, execute_result, idle; count {n} -> {n + 1}; silent and ' \
           'store_history=False leave it'


def errors(k):
    iopub, rep = k.execute('int[] a = new int[2];\na[5] = 1;')
    errs = [m['content'] for m in iopub if m['msg_type'] == 'error']
    check(len(errs) == 1, f'error outputs: {types(iopub)}')
    e = errs[0]
    check(e['ename'] == 'System.IndexOutOfRangeException', f'ename {e["ename"]}')
    check('outside the bounds' in e['evalue'], f'evalue {e["evalue"]}')
    check(e['traceback'] and 'line 2' in e['traceback'][0], f'traceback {e["traceback"]}')
    check(rep['status'] == 'error' and rep['ename'] == e['ename'] and rep['traceback'] == e['traceback'], f'reply {rep}')
    iopub, rep = k.execute('int y = "text";')
    check(rep['status'] == 'error' and rep['ename'] == 'CompilationError' and 'CS0029' in rep['evalue'], f'compile {rep}')
    # stop_on_error: requests queued behind a failing cell are aborted; without it they run
    ids = [k.kc.execute('throw new InvalidOperationException("stop here");'), k.kc.execute('"after"'),
           k.kc.execute('"after 2"')]
    replies = [k.reply(i)['content'] for i in ids]
    statuses = [r['status'] for r in replies]
    check(statuses == ['error', 'aborted', 'aborted'], f'stop_on_error=True: {statuses}')
    # as ipykernel: an aborted reply has no execution_count (the front end would show the failed cell's In [N])
    check(all('execution_count' not in r for r in replies[1:]), f'aborted replies carry an execution_count: {replies[1:]}')
    ids = [k.kc.execute('throw new InvalidOperationException("go on");', stop_on_error=False), k.kc.execute('"after"')]
    statuses = [k.reply(i)['content']['status'] for i in ids]
    check(statuses == ['error', 'ok'], f'stop_on_error=False: {statuses}')
    k.drain()
    return 'runtime and compile errors carry ename/evalue/traceback; stop_on_error aborts queued cells'


def display_update(k):
    iopub, rep = k.execute('var h = display("step 0");\nfor (int i = 1; i <= 3; i++) h.Update($"step {i}");')
    out = outputs(iopub)
    check([m['msg_type'] for m in out] == ['display_data'] + ['update_display_data'] * 3, f'{types(iopub)}')
    ids = {m['content']['transient']['display_id'] for m in out}
    check(len(ids) == 1, f'display ids {ids}')
    check([m['content']['data']['text/plain'] for m in out] == ['step 0', 'step 1', 'step 2', 'step 3'], 'texts')
    iopub2, _ = k.execute('h.Update("from a later cell");')
    out2 = outputs(iopub2)
    check([m['msg_type'] for m in out2] == ['update_display_data'] and
          out2[0]['content']['transient']['display_id'] in ids, f'later update {types(iopub2)}')
    return 'display_data with transient.display_id, then update_display_data with the same id (also from a later cell)'


def is_complete(k):
    cases = {'if (true) {': 'incomplete', 'var x = 1;': 'complete', 'var x = ;': 'invalid', 'x +': 'incomplete',
             '1 + 1': 'complete', '#r "nuget: MathNet.Numerics, 5.0.0"': 'complete'}
    got = {c: k.shell('is_complete_request', {'code': c})['status'] for c in cases}
    check(got == cases, f'{got}')
    return 'complete / incomplete / invalid as Roslyn judges the submission'


def complete(k):
    _, rep = k.execute('#r "../../lib/Companion/bin/Companion.dll"\nvar numbers = new List<double> { 1, 2 };')
    check(rep['status'] == 'ok', f'setup {rep}')
    code = 'numbers.Ad'
    c = k.shell('complete_request', {'code': code, 'cursor_pos': len(code)})
    check('Add' in c['matches'] and 'AddRange' in c['matches'], f'members of an earlier cell\'s variable: {c["matches"][:20]}')
    check(c['cursor_start'] == len('numbers.') and c['cursor_end'] == len(code), f'span {c["cursor_start"]}..{c["cursor_end"]}')
    code = 'Companion.Games.Bil'
    c = k.shell('complete_request', {'code': code, 'cursor_pos': len(code)})
    check('BilinearGame' in c['matches'], f'library types: {c["matches"][:20]}')
    code = 'var s = "é😀"; s.Len'  # cursor positions count code points, not UTF-16 units
    c = k.shell('complete_request', {'code': code, 'cursor_pos': len(code)})
    check('Length' in c['matches'] and c['cursor_start'] == len(code) - 3, f'non-BMP text: {c}')
    return 'members of a variable from an earlier cell, the library\'s types, code-point cursor positions'


def inspect(k):
    code = 'Math.Sqrt(2.0)'
    c = k.shell('inspect_request', {'code': code, 'cursor_pos': code.index('Sqrt') + 2, 'detail_level': 0})
    check(c['found'] and 'Sqrt(double d)' in c['data']['text/plain'], f'{c}')
    check('square root' in c['data']['text/plain'], f'no XML doc summary: {c["data"]["text/plain"]}')
    return c['data']['text/plain'].replace('\n', ' ')


def comm_history(k):
    c = k.shell('comm_info_request', {})
    check(c['status'] == 'ok' and c['comms'] == {}, f'comm_info {c}')
    h = k.shell('history_request', {'output': False, 'raw': True, 'hist_access_type': 'tail', 'n': 10})
    check(h['status'] == 'ok' and h['history'] == [], f'history {h}')
    return 'comm_info_reply (no comms), history_reply (empty)'


def bad_signature(k):
    """Sends a kernel_info_request signed with a wrong key straight over ZeroMQ: no reply; a good one is answered."""
    info = k.km.get_connection_info()
    ctx = zmq.Context.instance()
    sock = ctx.socket(zmq.DEALER)
    sock.setsockopt(zmq.LINGER, 0)
    sock.connect(f'tcp://{info["ip"]}:{info["shell_port"]}')
    key = info['key'] if isinstance(info['key'], bytes) else info['key'].encode()

    def send(signing_key):
        header = {'msg_id': uuid.uuid4().hex, 'session': uuid.uuid4().hex, 'username': 'test', 'date': '2026-01-01T00:00:00Z',
                  'msg_type': 'kernel_info_request', 'version': '5.3'}
        frames = [json.dumps(x).encode() for x in (header, {}, {}, {})]
        sig = hmac.new(signing_key, b''.join(frames), hashlib.sha256).hexdigest().encode()
        sock.send_multipart([b'<IDS|MSG>', sig] + frames)
        return header['msg_id']

    send(b'not the key')
    answered = sock.poll(int(NO_REPLY_WAIT * 1000))
    check(not answered, 'a message with a bad signature was answered')
    good = send(key)
    check(sock.poll(TIMEOUT * 1000), 'a correctly signed message was not answered after a bad one')
    frames = sock.recv_multipart()
    i = frames.index(b'<IDS|MSG>')
    check(json.loads(frames[i + 3])['msg_id'] == good, 'reply to the wrong request')
    expected = hmac.new(key, b''.join(frames[i + 2:i + 6]), hashlib.sha256).hexdigest().encode()
    check(frames[i + 1] == expected, 'the kernel\'s reply is not signed with the connection key')
    sock.close()
    return 'bad HMAC dropped, good one answered; the reply is signed'


def interrupt(k):
    _, rep = k.execute('var before = 17;')
    check(rep['status'] == 'ok', f'setup {rep}')
    msg_id = k.kc.execute('long spins = 0;\nwhile (true) { spins++; }')
    time.sleep(INTERRUPT_AFTER)
    t0 = time.time()
    rep = k.shell('interrupt_request', {}, channel='control')
    check(rep['status'] == 'ok', f'interrupt_reply {rep}')
    iopub = k.iopub_until_idle(msg_id)
    r = k.reply(msg_id)['content']
    elapsed = time.time() - t0
    check(r['status'] == 'error' and r['ename'] == 'KeyboardInterrupt' and 'kept' in r['evalue'], f'reply {r}')
    check('error' in types(iopub), f'no error output: {types(iopub)}')
    _, after = k.execute('before + (spins > 0 ? 25 : 0)')
    check(after['status'] == 'ok', f'state lost after the interrupt: {after}')
    return f'while(true) stopped {elapsed:.2f} s after interrupt_request; {r["ename"]}: "{r["evalue"][:70]}"; state kept'


def interrupt_blocked(k):
    _, rep = k.execute('var before = 17;')
    check(rep['status'] == 'ok', f'setup {rep}')
    msg_id = k.kc.execute('System.Threading.Thread.Sleep(600_000);')
    time.sleep(INTERRUPT_AFTER)
    t0 = time.time()
    k.shell('interrupt_request', {}, channel='control')
    k.iopub_until_idle(msg_id)
    r = k.reply(msg_id)['content']
    elapsed = time.time() - t0
    check(r['status'] == 'error' and 'restarted' in r['evalue'], f'reply {r}')
    _, after = k.execute('before')
    check(after['status'] == 'error' and 'CS0103' in after['evalue'] and 'restarted at cell' in after['evalue'], f'no hint: {after}')
    _, ok = k.execute('1 + 1')
    check(ok['status'] == 'ok', f'kernel unusable after interrupt: {ok}')
    return f'Thread.Sleep not stopped at a checkpoint: worker restarted {elapsed:.2f} s after interrupt_request; next cell: "{after["evalue"][:80]}"'


def stdin(k):
    msg_id = k.kc.execute('Console.Write("name? ");\nvar s = Console.ReadLine();\ns.ToUpperInvariant()', allow_stdin=True)
    req = k.kc.get_stdin_msg(timeout=TIMEOUT)
    check(req['msg_type'] == 'input_request' and req['parent_header']['msg_id'] == msg_id, f'{req["msg_type"]}')
    k.kc.input('ada')
    iopub = k.iopub_until_idle(msg_id)
    # the prompt shows once: as output if it was already sent, else as the input_request's prompt ("name? name? ")
    shown = ''.join(m['content']['text'] for m in iopub if m['msg_type'] == 'stream')
    check((shown + '|' + req['content']['prompt']).count('name?') == 1, f'prompt {req["content"]}, output {shown!r}')
    results = [m['content']['data']['text/plain'] for m in iopub if m['msg_type'] == 'execute_result']
    check(results == ['ADA'], f'{types(iopub)} {results}')
    k.reply(msg_id)
    _, rep = k.execute('Console.ReadLine()', allow_stdin=False)
    check(rep['status'] == 'error' and 'input' in rep['evalue'].lower(), f'no stdin: {rep}')
    return f'input_request (prompt "{req["content"]["prompt"]}") answered; without stdin: "{rep["evalue"][:80]}"'


def malformed(k):
    c = k.shell('execute_request', {'code': '1', 'silent': 'yes'})
    check(c['status'] == 'error' and 'execute_request' in c['evalue'], f'{c}')
    _, rep = k.execute('1 + 1')
    check(rep['status'] == 'ok', f'kernel unusable after a malformed request: {rep}')
    return f'a malformed request gets an error reply: "{c["evalue"][:80]}"'


def heartbeat(k):
    time.sleep(1.0)
    check(k.kc.hb_channel.is_beating(), 'heartbeat not beating')
    return 'heartbeat echoes'


def restart(k):
    _, rep = k.execute('var kept = 1;')
    old_pid = k.km.provisioner.pid if k.km.provisioner else None
    k.km.restart_kernel(now=False)
    k.kc.wait_for_ready(timeout=TIMEOUT)
    k.drain()
    new_pid = k.km.provisioner.pid if k.km.provisioner else None
    check(old_pid != new_pid, 'same process after restart')
    _, rep = k.execute('kept')
    check(rep['status'] == 'error' and 'CS0103' in rep['evalue'], f'state after restart: {rep}')
    _, rep = k.execute('2 + 3')
    check(rep['status'] == 'ok', f'after restart {rep}')
    return 'shutdown_request(restart=True) on control: a new kernel with fresh state'


def shutdown(k):
    proc = k.km.provisioner.process
    rep = k.shell('shutdown_request', {'restart': False}, channel='control')
    check(rep['status'] == 'ok' and rep['restart'] is False, f'{rep}')
    code = proc.wait(timeout=30)
    check(code == 0, f'exit code {code}')
    return 'shutdown_reply, then the kernel exits with code 0'


ORPHAN_CLIENT = """
import sys, time
from jupyter_client.manager import KernelManager
km = KernelManager(kernel_name=sys.argv[1])
km.start_kernel(cwd=sys.argv[2])
kc = km.client(); kc.start_channels(); kc.wait_for_ready(timeout=120)
kc.execute('System.Threading.Thread.Sleep(600_000);')  # a busy worker must die too
time.sleep(2)
print(km.provisioner.pid, flush=True)
time.sleep(600)
"""


def children(pid):
    out = []
    try:
        for tid in os.listdir(f'/proc/{pid}/task'):
            with open(f'/proc/{pid}/task/{tid}/children') as f:
                out += [int(c) for c in f.read().split()]
    except OSError:
        pass
    return out


def alive(pid):
    try:
        with open(f'/proc/{pid}/stat') as f:
            return f.read().rsplit(')', 1)[1].split()[0] not in ('Z', 'X')
    except OSError:
        return False


def orphan(kernel, cwd):
    """Kill -9 the client that started the kernel: kernel and worker must exit by themselves."""
    client = subprocess.Popen([sys.executable, '-c', ORPHAN_CLIENT, kernel, cwd], stdout=subprocess.PIPE, text=True)
    try:
        kernel_pid = int(client.stdout.readline())
        workers = children(kernel_pid)
        check(alive(kernel_pid) and workers, f'kernel {kernel_pid} or its worker not running ({workers})')
        client.kill()
        client.wait()
        t0 = time.time()
        while time.time() - t0 < 30 and (alive(kernel_pid) or any(alive(w) for w in workers)):
            time.sleep(0.2)
        left = [p for p in [kernel_pid] + workers if alive(p)]
        for p in left:
            os.kill(p, signal.SIGKILL)
        check(not left, f'still running 30 s after the client died: {left}')
        return f'client killed: kernel {kernel_pid} and worker {workers} gone after {time.time() - t0:.1f} s'
    finally:
        if client.poll() is None:
            client.kill()


SHARED = [kernel_info, execute_order, errors, display_update, is_complete, complete, inspect, comm_history,
          bad_signature, malformed, heartbeat, interrupt, interrupt_blocked, stdin]
OWN_KERNEL = [restart, shutdown]
ALONE = [orphan]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--kernel', required=True)
    ap.add_argument('--cwd', required=True)
    ap.add_argument('--only', nargs='*')
    a = ap.parse_args()
    wanted = lambda f: not a.only or f.__name__ in a.only
    ok = True

    def run(f, k):
        nonlocal ok
        t = time.time()
        try:
            detail, passed = f(k), True
        except Exception as e:
            detail, passed = f'{type(e).__name__}: {e}\n{traceback.format_exc(limit=3)}', False
        ok &= passed
        print(json.dumps({'name': f.__name__, 'ok': passed, 'detail': detail, 'seconds': round(time.time() - t, 2)}), flush=True)

    shared = [f for f in SHARED if wanted(f)]
    if shared:
        k = Kernel(a.kernel, a.cwd)
        try:
            for f in shared:
                run(f, k)
        finally:
            k.stop()
    for f in OWN_KERNEL:
        if wanted(f):
            k = Kernel(a.kernel, a.cwd)
            try:
                run(f, k)
            finally:
                k.stop()
    for f in ALONE:
        if wanted(f):
            def alone(_, f=f):
                return f(a.kernel, a.cwd)
            alone.__name__ = f.__name__
            run(alone, None)
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
